// GPT-1's own tokenizer, as the release (openai/finetune-transformer-lm, text_utils.py)
// runs it, with its released vocabulary:
//
//   1. clean the text: a subset of ftfy.fix_text, then text_standardize (gpt1_text.c);
//   2. cut it into words as spaCy's English tokenizer does (gpt1_words.c): words,
//      numbers, punctuation, the contractions 's 'm 'd 're 've 'll n't apart, "\n";
//   3. lower-case each word and apply the 40,000 merges in rank order to its characters,
//      the last one carrying "</w>" (gpt1_bpe.c);
//   4. look each symbol up in the encoder (40,478 tokens); a missing one is id 0.
//
// Decoding joins the tokens, turns each "</w>" into a space and undoes the spacing
// that step 1 put around punctuation (gpt1_decode.c). The text that comes back is
// lower-case and normalised, so decode(encode(x)) is not x; encode(decode(ids)) gives
// the ids back for the ids that encoding makes.
//
// The files: the release's encoder_bpe_40000.json + vocab_40000.bpe, or Hugging Face's
// vocab.json + merges.txt (the same content). Every problem is one line naming the
// file and what is wrong.
#ifndef GPT1_GPT1_VOCAB_H
#define GPT1_GPT1_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

enum { GPT1_MAX_TOKENS = 1000000, GPT1_MAX_MERGES = 1000000, GPT1_MAX_TOKEN_BYTES = 255 };

typedef struct Gpt1Vocab Gpt1Vocab;

// The vocabulary in DIR: encoder_bpe_40000.json and vocab_40000.bpe, or else vocab.json
// and merges.txt.
Gpt1Vocab *gpt1_vocab_load(const char *dir, char *error, size_t error_len);
// From the two files' texts: an encoder (a JSON object token -> id, ids 0..n-1 each
// once) and merges (a "#version" line, then "left right" a line, in rank order).
// The names are for messages.
Gpt1Vocab *gpt1_vocab_parse(const char *encoder, size_t encoder_len, const char *encoder_name,
                            const char *merges, size_t merges_len, const char *merges_name, char *error,
                            size_t error_len);
void gpt1_vocab_free(Gpt1Vocab *vocab);
Gpt1Vocab *gpt1_vocab_copy(const Gpt1Vocab *vocab);  // NULL: out of memory

int gpt1_vocab_size(const Gpt1Vocab *vocab);
int gpt1_merge_count(const Gpt1Vocab *vocab);
// A token's text as the encoder has it ("the</w>", "\n</w>"), not NUL-terminated; NULL
// when id is out of range.
const char *gpt1_token_text(const Gpt1Vocab *vocab, int id, size_t *length);
int gpt1_token_id(const Gpt1Vocab *vocab, const char *text, size_t length);  // -1: no such token
int gpt1_newline_id(const Gpt1Vocab *vocab);  // "\n</w>" (40477 in the release), or 0

// The text pipeline: a new array of ids (free it), NULL only when memory runs out.
// Not thread-safe: the vocabulary keeps a cache of the words it has encoded.
int *gpt1_encode(const Gpt1Vocab *vocab, const char *text, size_t len, long *n_ids);
// Text for ids (a new NUL-terminated string); ids out of range are skipped.
char *gpt1_decode(const Gpt1Vocab *vocab, const int *ids, long n_ids, size_t *len);

// Step 1 alone, for tests and tools: the cleaned text (a new string).
char *gpt1_clean_text(const char *text, size_t len, size_t *out_len);

// The two files again, as this program writes them (ids in order; merges in rank order).
char *gpt1_vocab_json(const Gpt1Vocab *vocab, size_t *len);
char *gpt1_merges_text(const Gpt1Vocab *vocab, size_t *len);

#endif
