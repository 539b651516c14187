// The key/value cache of one decoder block, for generating text one token at a time.
//
// Attention is causal: the key and value of position p are computed from the block's
// input at p alone, and that input depends only on the tokens at or before p. Once a
// position has been read, its keys and values never change however many tokens follow,
// so they can be kept instead of recomputed. A new token then needs its own row through
// the block and the rows kept here (nn/decoder_block_step.h).
//
// Memory: keys and values, capacity × d floats each, so 2 · n_layers · n_ctx · d floats
// for a whole model (gpt1 preset: 2 · 12 · 512 · 768 floats = 36 MiB).
#ifndef GPT1_KV_CACHE_H
#define GPT1_KV_CACHE_H

typedef struct KVCache {
    // Head by head, so that one head's rows are one contiguous [capacity, d_head] matrix
    // for the matrix products: keys[(h · capacity + p) · d_head + i] is feature i of the
    // key of position p in head h. The same for values.
    float *keys;    // [n_heads, capacity, d_head]
    float *values;  // [n_heads, capacity, d_head]
    int n_heads, d_head;
    int capacity;   // the most positions it can hold: n_ctx
    int length;     // positions 0 .. length-1 are filled
} KVCache;

// Allocates an empty cache (stops the program with a message if the memory is refused).
void kv_cache_create(KVCache *cache, int n_heads, int d_head, int capacity);
void kv_cache_free(KVCache *cache);
void kv_cache_reset(KVCache *cache);  // forget every position (the memory stays)
// Keeps positions 0 .. length-1 and forgets the rest: by causality the rows kept are
// exactly what reading only those positions would have given.
void kv_cache_truncate(KVCache *cache, int length);
// Copies src's filled positions into dst, which must have the same shape: to read a
// shared prefix once and continue it in several ways.
void kv_cache_copy(KVCache *dst, const KVCache *src);
// The keys (or values) of head h: a [capacity, d_head] matrix whose first `length` rows are filled.
float *kv_cache_keys(const KVCache *cache, int head);
float *kv_cache_values(const KVCache *cache, int head);
// Appends n positions, given as rows of width n_heads · d_head (head after head, as
// c_attn produces them) that are `row_stride` floats apart. The caller checks that
// length + n <= capacity.
void kv_cache_append(KVCache *cache, const float *keys, const float *values, int n, long row_stride);

#endif
