// Encoding and decoding.
//
// A pre-token is encoded by replaying the merges: start from its bytes (the last one
// marked </w>), find the adjacent pair that was merged earliest in training (the
// smallest merged id), merge all its occurrences left to right, and repeat until no
// adjacent pair was ever merged. This gives exactly what training did to the same
// word: a merge can only create pairs that contain its new token, and those were
// learned later, so the earliest pair present is always the next merge to apply.
//
// Text has few distinct pre-tokens (a 1 MB novel: ~30,000), so a cache from pre-token
// bytes to ids (bpe_word_cache.c) makes nearly every pre-token one hash lookup.
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/bpe_internal.h"

// Encodes one pre-token of `length` bytes into symbols (room for `length` ids); returns
// how many ids it became.
static int encode_pretoken(const Bpe *bpe, const unsigned char *piece, int length, int *symbols) {
    for (int i = 0; i < length; i++) symbols[i] = piece[i];
    symbols[length - 1] += BPE_BYTE_TOKENS;  // the </w> marker
    for (;;) {
        int earliest = INT_MAX;
        for (int i = 0; i + 1 < length; i++) {
            int merged = pair_map_get(&bpe->merged_id, symbols[i], symbols[i + 1]);
            if (merged >= 0 && merged < earliest) earliest = merged;
        }
        if (earliest == INT_MAX) return length;
        int k = earliest - BPE_BASE_TOKENS;
        length = bpe_merge_symbols(symbols, length, bpe->merge_left[k], bpe->merge_right[k], earliest);
    }
}

// Where encoded ids go: a caller's array that may be too short (extra ids are only
// counted), or a malloc'ed array that grows.
typedef struct IdSink {
    int *ids;
    size_t count, capacity;
    bool growable;
    bool out_of_memory;
} IdSink;

static void sink_append(IdSink *sink, const int *ids, int n) {
    if (sink->growable && sink->count + (size_t)n > sink->capacity) {
        int *grown = bpe_grow(sink->ids, &sink->capacity, sink->count + (size_t)n, sizeof *grown);
        if (grown == NULL) {
            sink->out_of_memory = true;
            return;
        }
        sink->ids = grown;
    }
    for (int i = 0; i < n; i++, sink->count++)
        if (sink->count < sink->capacity) sink->ids[sink->count] = ids[i];
}

static void encode_into(const Bpe *bpe, const char *text, size_t len, IdSink *sink) {
    unsigned char piece[BPE_MAX_PRETOKEN_BYTES];
    int symbols[BPE_MAX_PRETOKEN_BYTES];
    for (size_t at = 0, n; at < len && !sink->out_of_memory; at += n) {
        n = bpe_pretoken_length(text, len, at);
        bpe_copy_pretoken(text, at, n, bpe->lowercase, piece);
        const int *ids;
        int n_ids;
        if (!word_cache_lookup(bpe->cache, piece, (int)n, &ids, &n_ids)) {
            n_ids = encode_pretoken(bpe, piece, (int)n, symbols);
            ids = symbols;
            word_cache_store(bpe->cache, piece, (int)n, symbols, n_ids);
        }
        sink_append(sink, ids, n_ids);
    }
}

long bpe_encode(const Bpe *bpe, const char *text, size_t len, int *ids, long max_ids) {
    if (text == NULL) len = 0;
    IdSink sink = {.ids = ids, .capacity = ids != NULL && max_ids > 0 ? (size_t)max_ids : 0};
    encode_into(bpe, text, len, &sink);
    return (long)sink.count;
}

int *bpe_encode_alloc(const Bpe *bpe, const char *text, size_t len, long *n_ids) {
    if (text == NULL) len = 0;
    // Each byte is at most one id; English text needs about a quarter of that.
    size_t guess = len / 4 + 16;
    IdSink sink = {.ids = malloc(guess * sizeof(int)), .capacity = guess, .growable = true};
    if (sink.ids == NULL) return NULL;
    encode_into(bpe, text, len, &sink);
    if (sink.out_of_memory) {
        free(sink.ids);
        return NULL;
    }
    *n_ids = (long)sink.count;
    return sink.ids;
}

size_t bpe_decode(const Bpe *bpe, const int *ids, long n_ids, char *out, size_t capacity) {
    size_t total = 0;
    for (long i = 0; i < n_ids; i++) {
        int length;
        const unsigned char *bytes = bpe_token_bytes(bpe, ids[i], &length);
        if (bytes == NULL) return SIZE_MAX;
        if (total < capacity) {
            size_t room = capacity - total;
            memcpy(out + total, bytes, (size_t)length < room ? (size_t)length : room);
        }
        total += (size_t)length;
    }
    if (total < capacity) out[total] = '\0';
    return total;
}
