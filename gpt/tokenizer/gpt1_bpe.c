// Steps 3 and 4 of GPT-1's tokenizer: byte-pair encoding of one lower-cased word with
// the released merges, as the release's TextEncoder.bpe does it:
//
//     word = tuple(token[:-1]) + (token[-1] + '</w>',)
//     while True:
//         bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float('inf')))
//         if bigram not in self.bpe_ranks: break
//         ... replace every (first, second) in word, left to right, by first + second
//     [self.encoder.get(t, 0) for t in word]
//
// Symbols are strings of characters (not bytes); here each distinct symbol string has
// an index (gpt1_vocab.c builds the table), so a pair is looked up as two ints.
// And the whole pipeline: clean, split, lower-case, encode each word, with a cache of
// the words already encoded (a 1 MB book has ~30,000 distinct words).
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/gpt1_internal.h"

int gpt1_symbol_find(const Gpt1Vocab *vocab, const char *bytes, size_t length) {
    if (length > GPT1_MAX_TOKEN_BYTES) return -1;
    return word_map_find(&vocab->symbols, (const unsigned char *)bytes, (int)length);
}

// The symbol of one character, with "</w>" after it when it ends the word; -1 when the
// vocabulary has no such symbol (then it never merges and its id is 0).
static int character_symbol(const Gpt1Vocab *vocab, const unsigned char *c, size_t length, bool last) {
    char text[8];
    memcpy(text, c, length);
    if (last) memcpy(text + length, "</w>", 4);
    return gpt1_symbol_find(vocab, text, length + (last ? 4 : 0));
}

// The pair of neighbouring symbols merged earliest (lowest rank), or -1 when none is a merge.
static int best_rank(const Gpt1Vocab *vocab, const int *symbols, int n) {
    int best = -1;
    for (int i = 0; i + 1 < n; i++) {
        if (symbols[i] < 0 || symbols[i + 1] < 0) continue;
        int rank = pair_map_get(&vocab->merge_rank, symbols[i], symbols[i + 1]);
        if (rank >= 0 && (best < 0 || rank < best)) best = rank;
    }
    return best;
}

int gpt1_bpe_word(const Gpt1Vocab *vocab, const unsigned char *word, int length, int *ids) {
    int symbols[GPT1_MAX_WORD_BYTES];
    int n = 0;
    for (int at = 0; at < length;) {
        size_t char_length;
        gpt1_utf8_next(word + at, (size_t)(length - at), &char_length);
        bool last = at + (int)char_length == length;
        symbols[n++] = character_symbol(vocab, word + at, char_length, last);
        at += (int)char_length;
    }
    for (int rank; n > 1 && (rank = best_rank(vocab, symbols, n)) >= 0;)
        n = bpe_merge_symbols(symbols, n, vocab->merge_left[rank], vocab->merge_right[rank], vocab->merge_result[rank]);
    for (int i = 0; i < n; i++) ids[i] = symbols[i] >= 0 ? vocab->symbol_id[symbols[i]] : 0;
    return n;
}

// Where the ids of a text go while the splitter hands over its words.
typedef struct Encoder {
    const Gpt1Vocab *vocab;
    int *ids;
    size_t count, capacity;
    bool out_of_memory;
} Encoder;

// Lower-cases a word (a word of the splitter is valid UTF-8 of at most
// GPT1_MAX_WORD_BYTES); Python's lower never lengthens the characters handled here.
static int lower_word(const char *word, size_t length, unsigned char *out) {
    int n = 0;
    for (size_t at = 0, char_length; at < length; at += char_length) {
        uint32_t code = gpt1_utf8_next((const unsigned char *)word + at, length - at, &char_length);
        n += gpt1_utf8_put(gpt1_lower(code), (char *)out + n);
    }
    return n;
}

static void encode_word(const char *word, size_t length, void *user) {
    Encoder *e = user;
    if (e->out_of_memory) return;
    unsigned char lowered[GPT1_MAX_WORD_BYTES + 4];
    int n = lower_word(word, length, lowered);
    int computed[GPT1_MAX_WORD_BYTES];
    const int *ids;
    int n_ids;
    if (!word_cache_lookup(e->vocab->cache, lowered, n, &ids, &n_ids)) {
        n_ids = gpt1_bpe_word(e->vocab, lowered, n, computed);
        ids = computed;
        word_cache_store(e->vocab->cache, lowered, n, computed, n_ids);
    }
    int *grown = bpe_grow(e->ids, &e->capacity, e->count + (size_t)n_ids, sizeof *grown);
    if (grown == NULL) {
        e->out_of_memory = true;
        return;
    }
    e->ids = grown;
    memcpy(e->ids + e->count, ids, sizeof *ids * (size_t)n_ids);
    e->count += (size_t)n_ids;
}

int *gpt1_encode(const Gpt1Vocab *vocab, const char *text, size_t len, long *n_ids) {
    size_t clean_len;
    char *clean = gpt1_clean_text(text ? text : "", text ? len : 0, &clean_len);
    if (clean == NULL) return NULL;
    Encoder e = {.vocab = vocab, .ids = malloc(sizeof(int) * (clean_len / 4 + 16)), .capacity = clean_len / 4 + 16};
    bool ok = e.ids != NULL && gpt1_split_words(clean, clean_len, encode_word, &e) && !e.out_of_memory;
    free(clean);
    if (!ok) {
        free(e.ids);
        return NULL;
    }
    *n_ids = (long)e.count;
    return e.ids;
}
