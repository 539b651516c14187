// The two hash maps of the tokenizer (open addressing, linear probing, tables kept at
// most half full) and the growable-array helper.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/bpe_internal.h"

enum { FIRST_SLOTS = 1024 };

void *bpe_grow(void *items, size_t *capacity, size_t needed, size_t item_size) {
    if (items != NULL && needed <= *capacity) return items;
    size_t new_capacity = *capacity ? *capacity : 16;
    while (new_capacity < needed) {
        if (new_capacity > SIZE_MAX / 2) return NULL;
        new_capacity *= 2;
    }
    if (new_capacity > SIZE_MAX / item_size) return NULL;
    void *grown = realloc(items, new_capacity * item_size);
    if (grown != NULL) *capacity = new_capacity;
    return grown;
}

void bpe_set_error(BpeError *error, const char *format, ...) {
    if (error == NULL) return;
    va_list args;
    va_start(args, format);
    vsnprintf(error->message, sizeof error->message, format, args);
    va_end(args);
}

// ---------------------------------------------------------------------------------
// PairMap

static uint64_t pair_key(int left, int right) { return ((uint64_t)(uint32_t)left << 32 | (uint32_t)right) + 1; }

// SplitMix64's finaliser: every input bit changes about half of the output bits.
static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The slot holding key, or the empty slot where it belongs.
static size_t pair_slot(const PairMap *map, uint64_t key) {
    size_t mask = map->n_slots - 1;
    size_t slot = (size_t)mix64(key) & mask;
    while (map->keys[slot] != 0 && map->keys[slot] != key) slot = (slot + 1) & mask;
    return slot;
}

static bool pair_map_resize(PairMap *map, size_t n_slots) {
    PairMap bigger = {.keys = calloc(n_slots, sizeof(uint64_t)), .values = malloc(n_slots * sizeof(int)),
                      .n_slots = n_slots, .count = map->count};
    if (bigger.keys == NULL || bigger.values == NULL) {
        pair_map_free(&bigger);
        return false;
    }
    for (size_t i = 0; i < map->n_slots; i++) {
        if (map->keys[i] == 0) continue;
        size_t slot = pair_slot(&bigger, map->keys[i]);
        bigger.keys[slot] = map->keys[i];
        bigger.values[slot] = map->values[i];
    }
    pair_map_free(map);
    *map = bigger;
    return true;
}

bool pair_map_put(PairMap *map, int left, int right, int value) {
    if (2 * (map->count + 1) > map->n_slots &&
        !pair_map_resize(map, map->n_slots ? 2 * map->n_slots : FIRST_SLOTS))
        return false;
    uint64_t key = pair_key(left, right);
    size_t slot = pair_slot(map, key);
    if (map->keys[slot] == 0) map->count++;
    map->keys[slot] = key;
    map->values[slot] = value;
    return true;
}

int pair_map_get(const PairMap *map, int left, int right) {
    if (map->n_slots == 0) return -1;
    size_t slot = pair_slot(map, pair_key(left, right));
    return map->keys[slot] ? map->values[slot] : -1;
}

void pair_map_free(PairMap *map) {
    free(map->keys);
    free(map->values);
    memset(map, 0, sizeof *map);
}

// ---------------------------------------------------------------------------------
// WordMap

// FNV-1a: short keys (most words are under 10 bytes) hash in a few cycles.
static uint32_t hash_bytes(const unsigned char *bytes, int length) {
    uint32_t h = 2166136261u;
    for (int i = 0; i < length; i++) h = (h ^ bytes[i]) * 16777619u;
    return h;
}

static bool key_equals(const WordMap *map, int index, const unsigned char *key, int length, uint32_t hash) {
    return map->key_hash[index] == hash && map->key_length[index] == length &&
           memcmp(map->bytes + map->key_start[index], key, (size_t)length) == 0;
}

// The slot holding the key, or the empty slot where it belongs.
static size_t word_slot(const WordMap *map, const unsigned char *key, int length, uint32_t hash) {
    size_t mask = map->n_slots - 1;
    size_t slot = hash & mask;
    while (map->slots[slot] != 0 && !key_equals(map, map->slots[slot] - 1, key, length, hash))
        slot = (slot + 1) & mask;
    return slot;
}

static bool word_map_resize(WordMap *map, size_t n_slots) {
    int *slots = calloc(n_slots, sizeof *slots);
    if (slots == NULL) return false;
    free(map->slots);
    map->slots = slots;
    map->n_slots = n_slots;
    for (size_t i = 0; i < map->count; i++) {
        size_t slot = map->key_hash[i] & (n_slots - 1);
        while (slots[slot] != 0) slot = (slot + 1) & (n_slots - 1);
        slots[slot] = (int)i + 1;
    }
    return true;
}

int word_map_find(const WordMap *map, const unsigned char *key, int length) {
    if (map->n_slots == 0) return -1;
    return map->slots[word_slot(map, key, length, hash_bytes(key, length))] - 1;
}

// The three per-key arrays grow together; each realloc that succeeds is kept, so a
// failure half-way leaves every array at least `capacity` long.
static bool grow_key_arrays(WordMap *map) {
    if (map->count < map->capacity) return true;
    size_t capacity = map->capacity ? 2 * map->capacity : FIRST_SLOTS;
    if (capacity >= (size_t)INT32_MAX) return false;
    size_t *start = realloc(map->key_start, capacity * sizeof *start);
    if (start != NULL) map->key_start = start;
    unsigned char *length = realloc(map->key_length, capacity * sizeof *length);
    if (length != NULL) map->key_length = length;
    uint32_t *hash = realloc(map->key_hash, capacity * sizeof *hash);
    if (hash != NULL) map->key_hash = hash;
    if (start == NULL || length == NULL || hash == NULL) return false;
    map->capacity = capacity;
    return true;
}

// Room for one more key of `length` bytes.
static bool word_map_reserve(WordMap *map, int length) {
    if (!grow_key_arrays(map)) return false;
    unsigned char *bytes = bpe_grow(map->bytes, &map->bytes_capacity, map->bytes_used + (size_t)length, 1);
    if (bytes == NULL) return false;
    map->bytes = bytes;
    size_t n = map->count + 1;
    return 2 * n <= map->n_slots || word_map_resize(map, map->n_slots ? 2 * map->n_slots : FIRST_SLOTS);
}

int word_map_find_or_add(WordMap *map, const unsigned char *key, int length, bool *added) {
    *added = false;
    int found = word_map_find(map, key, length);
    if (found >= 0) return found;
    if (length > 255 || !word_map_reserve(map, length)) return -1;
    uint32_t hash = hash_bytes(key, length);
    size_t index = map->count++;
    memcpy(map->bytes + map->bytes_used, key, (size_t)length);
    map->key_start[index] = map->bytes_used;
    map->key_length[index] = (unsigned char)length;
    map->key_hash[index] = hash;
    map->bytes_used += (size_t)length;
    map->slots[word_slot(map, key, length, hash)] = (int)index + 1;
    *added = true;
    return (int)index;
}

void word_map_free(WordMap *map) {
    free(map->bytes);
    free(map->key_start);
    free(map->key_length);
    free(map->key_hash);
    free(map->slots);
    memset(map, 0, sizeof *map);
}
