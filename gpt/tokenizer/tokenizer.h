// Tokenizers turn text into the ids the model reads, and back.
//   bytes: every byte is a token: 256 ids, any input, nothing to learn.
//   chars: one token per distinct byte of the training text: a smaller vocabulary
//          (65 for Shakespeare). Multi-byte UTF-8 characters are several tokens.
//   bpe:   byte-pair encoding like GPT-1's (gpt/tokenizer/bpe.h).
//   gpt1:  GPT-1's own tokenizer with its released vocabulary of 40,478 tokens
//          (gpt/tokenizer/gpt1_vocab.h): lower-cased, normalised text.
// Fine-tuning appends three task tokens after the text tokens: start <s>, delimiter $,
// extract <e>.
#ifndef GPT1_TOKENIZER_H
#define GPT1_TOKENIZER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { TOKENIZER_BYTES = 0, TOKENIZER_CHARS = 1, TOKENIZER_BPE = 2, TOKENIZER_GPT1 = 3 } TokenizerKind;
enum { N_TASK_TOKENS = 3 };
typedef enum { TOKEN_START = 0, TOKEN_DELIMITER = 1, TOKEN_EXTRACT = 2 } TaskToken;

struct Bpe;
struct Gpt1Vocab;

typedef struct Tokenizer {
    TokenizerKind kind;
    int n_text_tokens;             // ids [0, n_text_tokens) stand for text
    int n_task_tokens;             // 0, or N_TASK_TOKENS once fine-tuning added them
    int byte_to_id[256];           // a byte's own token (chars: -1 for a byte the vocabulary
                                   // lacks; gpt1: the one-letter word, '\n' the newline token)
    unsigned char id_to_byte[256]; // chars
    struct Bpe *bpe;               // bpe: the merges
    struct Gpt1Vocab *gpt1;        // gpt1: the encoder and merges
} Tokenizer;

void tokenizer_init_bytes(Tokenizer *t);
void tokenizer_init_chars(Tokenizer *t, const char *text, size_t len);
void tokenizer_init_bpe(Tokenizer *t, struct Bpe *bpe);  // takes ownership of bpe
void tokenizer_init_gpt1(Tokenizer *t, struct Gpt1Vocab *vocab);  // takes ownership of vocab
void tokenizer_copy(Tokenizer *dst, const Tokenizer *src);  // a deep copy (its own merges)
void tokenizer_free(Tokenizer *t);
int tokenizer_vocab_size(const Tokenizer *t);  // text tokens + task tokens
int task_token_id(const Tokenizer *t, TaskToken which);
const char *tokenizer_kind_name(TokenizerKind kind);  // "bytes", "chars", "bpe", "gpt1"

// Encodes text into a new array of ids (free it), or returns NULL and explains why in
// error (a byte the chars vocabulary lacks).
int *tokenizer_encode(const Tokenizer *t, const char *text, size_t len, long *n_ids, char *error, size_t error_len);
// Decodes ids into a new NUL-terminated string (free it); task tokens print as <s> $ <e>.
char *tokenizer_decode(const Tokenizer *t, const int *ids, long n, size_t *len);
// A printable label for one token (for pictures and tables): escapes control bytes.
void tokenizer_token_label(const Tokenizer *t, int id, char *buf, size_t len);

// The tokenizer's own bytes for a checkpoint: chars stores its byte table, bpe its merges,
// gpt1 its encoder and merges (docs/checkpoint_format.md).
unsigned char *tokenizer_payload(const Tokenizer *t, size_t *len);
bool tokenizer_from_payload(Tokenizer *t, TokenizerKind kind, int n_text_tokens, int n_task_tokens,
                            const unsigned char *payload, size_t len, char *error, size_t error_len);

#endif
