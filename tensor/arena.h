// An arena: one step's tensors, nodes and gradients are carved out of a few big
// blocks and released together by arena_reset(). There is no per-tensor free, so
// nothing made during a step can leak, and a debugger never sees malloc in an op.
#ifndef GPT1_ARENA_H
#define GPT1_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock {
    struct ArenaBlock *next;
    size_t capacity;          // bytes in memory[]
    size_t used;              // bytes handed out from this block
    char *memory;             // 64-byte aligned
} ArenaBlock;

typedef struct Arena {
    const char *name;         // appears in the out-of-memory message
    size_t limit;             // most bytes the arena may hold in all its blocks
    size_t block_size;        // default size of a new block
    ArenaBlock *first;        // blocks are kept (not freed) by arena_reset
    ArenaBlock *current;      // the block allocations come from
    size_t in_use;            // bytes handed out since the last reset
    size_t peak;              // the largest in_use ever seen
    size_t reserved;          // bytes obtained from malloc in all blocks
} Arena;

// A position in the arena to come back to: everything allocated after it is released.
typedef struct ArenaMark {
    ArenaBlock *block;
    size_t used;
    size_t in_use;
} ArenaMark;

void arena_init(Arena *arena, const char *name, size_t limit);
void *arena_alloc(Arena *arena, size_t bytes);   // 64-byte aligned, uninitialised
void *arena_calloc(Arena *arena, size_t bytes);  // zero-filled
void arena_zero(void *memory, size_t bytes);     // memset to 0, shared among the threads
ArenaMark arena_mark(const Arena *arena);
void arena_rewind(Arena *arena, ArenaMark mark);
void arena_reset(Arena *arena);                  // release everything, keep the blocks
void arena_free(Arena *arena);                   // give the blocks back to the system

#endif
