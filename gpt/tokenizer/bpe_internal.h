// What the BPE files share and users of gpt/tokenizer/bpe.h do not need: the Bpe struct, two
// hash maps (pair of ids -> int, byte string -> index), the vocabulary builder that
// both training and loading use, and the one function that applies a merge to a word.
#ifndef GPT1_BPE_INTERNAL_H
#define GPT1_BPE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gpt/tokenizer/bpe.h"

// Returns items (each item_size bytes) grown to hold at least `needed` of them, by
// doubling *capacity; NULL when memory runs out (items is then still valid).
void *bpe_grow(void *items, size_t *capacity, size_t needed, size_t item_size);

// Open addressing from a pair of ids to an int. Keys are never removed.
typedef struct PairMap {
    uint64_t *keys;           // (left << 32 | right) + 1; 0 marks an empty slot
    int *values;
    size_t n_slots;           // a power of two
    size_t count;
} PairMap;

bool pair_map_put(PairMap *map, int left, int right, int value);  // false: out of memory
int pair_map_get(const PairMap *map, int left, int right);        // -1 when absent
void pair_map_free(PairMap *map);

// Open addressing from a byte string to its index (0, 1, 2, ... in order of arrival).
// The map keeps a copy of every key.
typedef struct WordMap {
    unsigned char *bytes;     // the keys, one after the other
    size_t bytes_used, bytes_capacity;
    size_t *key_start;        // key i is bytes[key_start[i] .. key_start[i] + key_length[i])
    unsigned char *key_length;
    uint32_t *key_hash;
    size_t count, capacity;
    int *slots;               // key index + 1; 0 marks an empty slot
    size_t n_slots;           // a power of two
} WordMap;

// The index of the key, adding it when absent (then *added is true); -1: out of memory.
// Keys are at most 255 bytes long.
int word_map_find_or_add(WordMap *map, const unsigned char *key, int length, bool *added);
int word_map_find(const WordMap *map, const unsigned char *key, int length);  // -1: absent
void word_map_free(WordMap *map);

// The length of the valid UTF-8 sequence at s[0..available), or 0 when there is none.
size_t bpe_utf8_decode(const unsigned char *s, size_t available, uint32_t *code);

// Copies the pre-token text[start .. start+length) to out, ASCII lower-cased when asked.
void bpe_copy_pretoken(const char *text, size_t start, size_t length, bool lowercase, unsigned char *out);

// The encoder's memory of pre-tokens it has already encoded (gpt/tokenizer/bpe_word_cache.c).
typedef struct WordCache WordCache;
WordCache *word_cache_new(void);   // NULL: out of memory
void word_cache_free(WordCache *cache);
// The ids of a pre-token seen before: true and *ids, *n_ids (inside the cache), or false.
bool word_cache_lookup(const WordCache *cache, const unsigned char *piece, int length, const int **ids, int *n_ids);
// Remembers the ids of a pre-token; when memory or the size limit says no, it does not.
void word_cache_store(WordCache *cache, const unsigned char *piece, int length, const int *ids, int n_ids);

struct Bpe {
    bool lowercase;
    int n_tokens;                    // BPE_BASE_TOKENS + n_merges, once the base is built
    int n_merges;
    size_t merges_capacity;
    int *merge_left, *merge_right;   // merge k joins these two into id BPE_BASE_TOKENS + k
    PairMap merged_id;               // (left, right) -> the id they merge into
    // Token id's bytes are token_bytes[token_start[id] .. + token_length[id]).
    unsigned char *token_bytes;
    size_t token_bytes_used, token_bytes_capacity;
    size_t *token_start;
    unsigned char *token_length;     // at most BPE_MAX_PRETOKEN_BYTES
    bool *token_ends;                // whether the token ends a pre-token (carries </w>)
    // Token id's display text is token_text[text_start[id]..], '\0'-terminated.
    char *token_text;
    size_t token_text_used, token_text_capacity;
    size_t *text_start;
    size_t tokens_capacity;
    WordCache *cache;                // written by bpe_encode, though it takes a const Bpe
};

// The vocabulary builder: the 512 base tokens, then one merge at a time.
Bpe *bpe_new_base(bool lowercase);   // NULL: out of memory
// Checks and adds merge (left, right) as token bpe_vocab_size(bpe). On failure returns
// false and writes why to reason: "left id 900 is not an id defined before this merge (0 to 514)".
bool bpe_add_merge(Bpe *bpe, int left, int right, char *reason, size_t reason_size);

// Replaces every occurrence of the pair (left, right) in symbols[0..length), scanning
// from left to right without overlap, by `merged`; returns the new length.
int bpe_merge_symbols(int *symbols, int length, int left, int right, int merged);

void bpe_set_error(BpeError *error, const char *format, ...);

#endif
