// The encoder's memory of the pre-tokens it has already encoded: pre-token bytes ->
// their ids, so that a word seen before costs one hash lookup.
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/bpe_internal.h"

enum { CACHE_MAX_WORDS = 1 << 18 };  // beyond this, new pre-tokens are encoded but not kept

typedef struct CacheEntry {
    size_t start;   // its ids are ids[start .. start + length)
    int length;
} CacheEntry;

struct WordCache {
    WordMap pretokens;   // pre-token bytes -> entry index
    CacheEntry *entries;
    size_t entries_capacity;
    int *ids;
    size_t ids_used, ids_capacity;
};

WordCache *word_cache_new(void) { return calloc(1, sizeof(WordCache)); }

void word_cache_free(WordCache *cache) {
    if (cache == NULL) return;
    word_map_free(&cache->pretokens);
    free(cache->entries);
    free(cache->ids);
    free(cache);
}

bool word_cache_lookup(const WordCache *cache, const unsigned char *piece, int length, const int **ids,
                       int *n_ids) {
    int index = word_map_find(&cache->pretokens, piece, length);
    if (index < 0) return false;
    *ids = cache->ids + cache->entries[index].start;
    *n_ids = cache->entries[index].length;
    return true;
}

// Remembers the ids of a pre-token; when memory or the size limit says no, it does not.
void word_cache_store(WordCache *cache, const unsigned char *piece, int length, const int *ids, int n_ids) {
    if (cache->pretokens.count >= CACHE_MAX_WORDS) return;
    int *grown_ids = bpe_grow(cache->ids, &cache->ids_capacity, cache->ids_used + (size_t)n_ids, sizeof *ids);
    if (grown_ids == NULL) return;
    cache->ids = grown_ids;
    CacheEntry *entries =
        bpe_grow(cache->entries, &cache->entries_capacity, cache->pretokens.count + 1, sizeof *entries);
    if (entries == NULL) return;
    cache->entries = entries;
    bool added;
    int index = word_map_find_or_add(&cache->pretokens, piece, length, &added);
    if (index < 0) return;
    memcpy(cache->ids + cache->ids_used, ids, (size_t)n_ids * sizeof *ids);
    entries[index] = (CacheEntry){.start = cache->ids_used, .length = n_ids};
    cache->ids_used += (size_t)n_ids;
}
