#include "nn/kv_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kv_cache_create(KVCache *cache, int n_heads, int d_head, int capacity) {
    size_t floats = (size_t)n_heads * (size_t)capacity * (size_t)d_head;
    *cache = (KVCache){.n_heads = n_heads, .d_head = d_head, .capacity = capacity, .length = 0};
    cache->keys = malloc(sizeof(float) * floats);
    cache->values = malloc(sizeof(float) * floats);
    if (cache->keys == NULL || cache->values == NULL) {
        fprintf(stderr, "kv_cache_create: out of memory for 2 x %zu floats\n", floats);
        abort();
    }
}

void kv_cache_free(KVCache *cache) {
    free(cache->keys);
    free(cache->values);
    cache->keys = cache->values = NULL;
    cache->length = 0;
}

void kv_cache_reset(KVCache *cache) { cache->length = 0; }

void kv_cache_truncate(KVCache *cache, int length) {
    if (length < 0 || length > cache->length) {
        fprintf(stderr, "kv_cache_truncate: cannot keep %d positions of a cache holding %d\n", length, cache->length);
        abort();
    }
    cache->length = length;
}

float *kv_cache_keys(const KVCache *cache, int head) {
    return cache->keys + (long)head * cache->capacity * cache->d_head;
}

float *kv_cache_values(const KVCache *cache, int head) {
    return cache->values + (long)head * cache->capacity * cache->d_head;
}

void kv_cache_copy(KVCache *dst, const KVCache *src) {
    if (dst->n_heads != src->n_heads || dst->d_head != src->d_head || dst->capacity < src->length) {
        fprintf(stderr, "kv_cache_copy: a cache of %d heads x %d cannot hold %d positions of %d heads x %d\n",
                dst->n_heads, dst->d_head, src->length, src->n_heads, src->d_head);
        abort();
    }
    size_t bytes = sizeof(float) * (size_t)src->length * (size_t)src->d_head;
    for (int h = 0; h < src->n_heads; h++) {
        memcpy(kv_cache_keys(dst, h), kv_cache_keys(src, h), bytes);
        memcpy(kv_cache_values(dst, h), kv_cache_values(src, h), bytes);
    }
    dst->length = src->length;
}

// Row s of the input holds head 0's d_head features, then head 1's, ...: the layout
// split_heads undoes for the full pass (tensor/reshape.c).
void kv_cache_append(KVCache *cache, const float *keys, const float *values, int n, long row_stride) {
    size_t bytes = sizeof(float) * (size_t)cache->d_head;
    for (int s = 0; s < n; s++) {
        long position = cache->length + s;
        for (int h = 0; h < cache->n_heads; h++) {
            long from = s * row_stride + (long)h * cache->d_head;
            memcpy(kv_cache_keys(cache, h) + position * cache->d_head, keys + from, bytes);
            memcpy(kv_cache_values(cache, h) + position * cache->d_head, values + from, bytes);
        }
    }
    cache->length += n;
}
