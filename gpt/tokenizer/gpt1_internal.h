// What the GPT-1 tokenizer's files share and users of gpt/tokenizer/gpt1_vocab.h do not
// need: UTF-8 helpers, the text pipeline's steps and the vocabulary's tables.
#ifndef GPT1_GPT1_INTERNAL_H
#define GPT1_GPT1_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gpt/tokenizer/bpe_internal.h"
#include "gpt/tokenizer/gpt1_vocab.h"

// A word longer than this many bytes is cut into pieces of at most this (a guard
// against a megabyte without a space; no English word comes near it).
enum { GPT1_MAX_WORD_BYTES = 512 };

// The code point at s[0..available) and its length; an invalid sequence is one byte
// that reads as U+FFFD, the replacement character (the vocabulary has it).
uint32_t gpt1_utf8_next(const unsigned char *s, size_t available, size_t *length);
int gpt1_utf8_put(uint32_t code, char *out);   // writes 1 to 4 bytes, returns how many
bool gpt1_is_space(uint32_t code);             // what Python's \s matches
bool gpt1_is_alnum(uint32_t code);             // ASCII letters and digits, and non-ASCII letters
uint32_t gpt1_lower(uint32_t code);            // Python's str.lower for the common alphabets

// A word (token) of the splitter: text[start .. start + length) of the cleaned text.
typedef void (*Gpt1WordFn)(const char *word, size_t length, void *user);
// Cuts the cleaned text (gpt1_clean_text) into the words spaCy's English tokenizer
// would make, in order; "\n" is a word of its own. False: out of memory.
bool gpt1_split_words(const char *text, size_t len, Gpt1WordFn emit, void *user);
// Whether the splitter keeps this word whole as a special case (mr., u.s., j., n't, ...).
bool gpt1_is_special_word(const char *word, size_t length);

struct Gpt1Vocab {
    int n_tokens;                 // ids 0 .. n_tokens - 1
    int n_merges;
    // Every distinct symbol string (the vocabulary's tokens, both sides of every merge
    // and what it makes) -> its index; symbol_id[index] is its token id, 0 when the
    // vocabulary lacks it (as encoder.get(symbol, 0) does).
    WordMap symbols;
    int *symbol_id;
    size_t symbol_id_capacity;
    int *token_symbol;            // token id -> its symbol index
    PairMap merge_rank;           // (left symbol, right symbol) -> rank (0: the first merge)
    int *merge_left, *merge_right, *merge_result;  // by rank: symbol indexes
    size_t merges_capacity;
    int newline_id;               // the id of "\n</w>", or 0
    WordCache *cache;             // lower-cased word -> ids; written by encode
};

// The symbol index of bytes[0..length), or -1 when no token or merge has it.
int gpt1_symbol_find(const Gpt1Vocab *vocab, const char *bytes, size_t length);
// The ids of one lower-cased word: BPE with the merges, "</w>" on its last symbol.
// ids has room for `length` ids; returns how many.
int gpt1_bpe_word(const Gpt1Vocab *vocab, const unsigned char *word, int length, int *ids);

#endif
