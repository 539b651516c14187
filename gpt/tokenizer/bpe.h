// Byte-pair encoding (Sennrich et al. 2016), the tokenizer of GPT-1: text is cut into
// pre-tokens (words, numbers, punctuation, whitespace), each pre-token becomes a
// sequence of byte symbols whose last symbol carries the end-of-word marker </w>, and
// training learns merges: the most frequent adjacent pair of symbols becomes one new
// symbol, again and again. Encoding replays the merges on each pre-token.
//
// Ids: 0..255 are the bytes, 256..511 the bytes ending a pre-token (shown as "a</w>"),
// and merge k (from 0) makes id 512 + k. So every byte string has an encoding, and
// decode(encode(text)) == text exactly (or its ASCII lower-casing, when the vocabulary
// lower-cases). docs/bpe.md explains the design, the file format and the speed.
//
// Errors never abort: functions that can fail return NULL or false and, when given a
// BpeError, leave a one-line message in it.
#ifndef GPT1_BPE_H
#define GPT1_BPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
    BPE_BYTE_TOKENS = 256,          // ids 0..255: one byte each
    BPE_BASE_TOKENS = 512,          // ids 256..511: one byte that ends a pre-token
    BPE_MAX_PRETOKEN_BYTES = 64,    // longer runs are cut into pieces of at most this
    BPE_MAX_MERGES = 1000000,
    BPE_ERROR_SIZE = 512,
};

typedef struct Bpe Bpe;

typedef struct BpeError {
    char message[BPE_ERROR_SIZE];   // "vocab.bpe: line 3: merges: expected 'merges N' with N
                                    // from 0 to 1000000, found 'x'"
} BpeError;

// What the trainer reports every `progress_every` merges and once at the end.
typedef struct BpeProgress {
    int merges_done;
    int merges_wanted;
    int64_t pair_count;             // how often the latest merged pair occurred
    const char *token_text;         // the latest new token, as bpe_token_text shows it (valid
                                    // during the call only)
    int distinct_pretokens;         // how many different pre-tokens the text has
    bool finished;                  // the last report of this training
} BpeProgress;

typedef void (*BpeProgressFn)(const BpeProgress *progress, void *user);

// All zeros is the default: case kept, pairs seen at least twice, no progress report.
typedef struct BpeOptions {
    bool lowercase;                 // ASCII A-Z become a-z before anything else
    int min_pair_count;             // stop early when the best pair occurs fewer times (0: 2)
    BpeProgressFn progress;         // NULL: silent; bpe_progress_to_stderr prints a line
    void *progress_user;            // handed to progress
    int progress_every;             // merges between reports (0: 1000)
} BpeOptions;

// Learns up to n_merges merges from text[0..len) (any bytes). Fewer are learned when no
// pair occurs min_pair_count times any more. Ties between equally frequent pairs go to
// the smaller left id, then the smaller right id, so training is deterministic.
Bpe *bpe_train(const char *text, size_t len, int n_merges, const BpeOptions *options, BpeError *error);
void bpe_free(Bpe *bpe);
// A progress callback that rewrites one line on stderr: "bpe: 1000/8000 merges ...".
void bpe_progress_to_stderr(const BpeProgress *progress, void *user);

int bpe_vocab_size(const Bpe *bpe);   // BPE_BASE_TOKENS + bpe_merge_count
int bpe_merge_count(const Bpe *bpe);
bool bpe_lowercases(const Bpe *bpe);
// Merge k joined token *left and token *right into token BPE_BASE_TOKENS + k.
void bpe_merge_pair(const Bpe *bpe, int k, int *left, int *right);

// A token for people: its bytes with C escapes for control bytes and backslash, invalid
// UTF-8 as \xNN, then "</w>" when it ends a pre-token. "?" for an id out of range.
const char *bpe_token_text(const Bpe *bpe, int id);
// A token's raw bytes (without any marker): what decode writes for it. NULL when out of range.
const unsigned char *bpe_token_bytes(const Bpe *bpe, int id, int *length);
bool bpe_token_ends_pretoken(const Bpe *bpe, int id);

// Encodes text[0..len) (any bytes; text may be NULL when len is 0). Writes at most
// max_ids ids (ids may be NULL when max_ids is 0) and returns how many the whole text
// needs, like snprintf: a second call with a large enough array gets them all.
// Not thread-safe: the Bpe keeps a cache of the pre-tokens it has encoded.
long bpe_encode(const Bpe *bpe, const char *text, size_t len, int *ids, long max_ids);
// The same into a malloc'ed array (free it); NULL only when memory runs out.
int *bpe_encode_alloc(const Bpe *bpe, const char *text, size_t len, long *n_ids);

// Writes the bytes of ids[0..n_ids) to out, at most capacity of them, followed by a
// '\0' when there is room; returns the length of the whole text, or SIZE_MAX when an
// id is not in [0, vocab_size) (then nothing is promised about out).
size_t bpe_decode(const Bpe *bpe, const int *ids, long n_ids, char *out, size_t capacity);

// The pre-tokenizer, exposed for tests and tools: the length in bytes (1 to
// BPE_MAX_PRETOKEN_BYTES) of the pre-token that starts at text[start], start < len.
size_t bpe_pretoken_length(const char *text, size_t len, size_t start);

// The vocabulary file: a short text (docs/bpe.md, "File format"). `name` names the
// source in error messages (a path, "checkpoint.bin", ...).
bool bpe_save(const Bpe *bpe, const char *path, BpeError *error);
Bpe *bpe_load(const char *path, BpeError *error);                 // the whole file
bool bpe_write(const Bpe *bpe, FILE *file, const char *name, BpeError *error);
Bpe *bpe_read(FILE *file, const char *name, BpeError *error);     // stops after "end"
// To and from memory, for embedding in a checkpoint: a malloc'ed text of *size bytes
// (plus a '\0' not counted), and its inverse, which wants nothing after "end\n".
char *bpe_serialize(const Bpe *bpe, size_t *size);
Bpe *bpe_deserialize(const char *data, size_t size, const char *name, BpeError *error);

#endif
