#include "tensor/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor/parallel.h"

enum { ARENA_ALIGN = 64 };
static const size_t DEFAULT_BLOCK_SIZE = (size_t)64 << 20;

void arena_init(Arena *arena, const char *name, size_t limit) {
    memset(arena, 0, sizeof *arena);
    arena->name = name;
    arena->limit = limit;
    arena->block_size = DEFAULT_BLOCK_SIZE;
}

static size_t round_up(size_t n) { return (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN; }

static ArenaBlock *new_block(Arena *arena, size_t bytes) {
    size_t capacity = bytes > arena->block_size ? bytes : arena->block_size;
    if (arena->reserved + capacity > arena->limit) {
        if (arena->reserved + bytes > arena->limit) {
            fprintf(stderr, "arena '%s' out of memory: needed %zu bytes, available %zu (limit %zu, %zu in use)\n",
                    arena->name, bytes, arena->limit - arena->reserved, arena->limit, arena->in_use);
            abort();
        }
        capacity = bytes;  // the limit leaves room for this request only
    }
    ArenaBlock *block = malloc(sizeof *block);
    char *memory = aligned_alloc(ARENA_ALIGN, capacity);  // capacity is a multiple of 64
    if (block == NULL || memory == NULL) {
        fprintf(stderr, "arena '%s': the system refused %zu bytes\n", arena->name, capacity);
        abort();
    }
    *block = (ArenaBlock){.next = NULL, .capacity = capacity, .used = 0, .memory = memory};
    arena->reserved += capacity;
    return block;
}

// Moves to the next block that can hold `bytes`, making one when none is left.
static void advance_block(Arena *arena, size_t bytes) {
    ArenaBlock *block = arena->current ? arena->current->next : arena->first;
    while (block != NULL && block->capacity < bytes) {
        block->used = 0;
        block = block->next;
    }
    if (block == NULL) {
        block = new_block(arena, bytes);
        ArenaBlock **tail = &arena->first;
        while (*tail != NULL) tail = &(*tail)->next;
        *tail = block;
    }
    block->used = 0;
    arena->current = block;
}

void *arena_alloc(Arena *arena, size_t bytes) {
    bytes = round_up(bytes ? bytes : 1);
    if (arena->current == NULL || arena->current->used + bytes > arena->current->capacity)
        advance_block(arena, bytes);
    void *p = arena->current->memory + arena->current->used;
    arena->current->used += bytes;
    arena->in_use += bytes;
    if (arena->in_use > arena->peak) arena->peak = arena->in_use;
    return p;
}

// Zeroing a large block (the gradient of an activation) is shared out among the
// threads in pieces of ZERO_PIECE bytes.
enum { ZERO_PIECE = 4096 };

typedef struct ZeroJob {
    char *memory;
    size_t bytes;
} ZeroJob;

static void zero_part(void *context, long first, long end) {
    const ZeroJob *p = context;
    size_t from = (size_t)first * ZERO_PIECE, to = (size_t)end * ZERO_PIECE;
    memset(p->memory + from, 0, (to < p->bytes ? to : p->bytes) - from);
}

void arena_zero(void *memory, size_t bytes) {
    ZeroJob job = {memory, bytes};
    parallel_for((long)((bytes + ZERO_PIECE - 1) / ZERO_PIECE), ZERO_PIECE / 4, zero_part, &job);
}

void *arena_calloc(Arena *arena, size_t bytes) {
    void *p = arena_alloc(arena, bytes);
    arena_zero(p, bytes);
    return p;
}

ArenaMark arena_mark(const Arena *arena) {
    return (ArenaMark){.block = arena->current,
                       .used = arena->current ? arena->current->used : 0,
                       .in_use = arena->in_use};
}

void arena_rewind(Arena *arena, ArenaMark mark) {
    arena->current = mark.block;
    if (mark.block != NULL) mark.block->used = mark.used;
    arena->in_use = mark.in_use;
}

void arena_reset(Arena *arena) {
    arena->current = NULL;
    arena->in_use = 0;
}

void arena_free(Arena *arena) {
    ArenaBlock *block = arena->first;
    while (block != NULL) {
        ArenaBlock *next = block->next;
        free(block->memory);
        free(block);
        block = next;
    }
    arena->first = arena->current = NULL;
    arena->in_use = arena->reserved = 0;
}
