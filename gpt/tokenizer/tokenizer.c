#include "gpt/tokenizer/tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/bpe.h"
#include "gpt/tokenizer/gpt1_payload.h"
#include "gpt/tokenizer/gpt1_vocab.h"

static const char *const TASK_TOKEN_TEXT[N_TASK_TOKENS] = {"<s>", "$", "<e>"};

static _Noreturn void out_of_memory(const char *doing) {
    fprintf(stderr, "tokenizer: out of memory while %s\n", doing);
    abort();
}

static void *checked_malloc(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (p == NULL) out_of_memory("allocating");
    return p;
}

void tokenizer_init_bytes(Tokenizer *t) {
    memset(t, 0, sizeof *t);
    t->kind = TOKENIZER_BYTES;
    t->n_text_tokens = 256;
    for (int b = 0; b < 256; b++) t->byte_to_id[b] = b, t->id_to_byte[b] = (unsigned char)b;
}

// Ids follow byte order, so the same text always gives the same vocabulary.
void tokenizer_init_chars(Tokenizer *t, const char *text, size_t len) {
    bool seen[256] = {false};
    for (size_t i = 0; i < len; i++) seen[(unsigned char)text[i]] = true;
    memset(t, 0, sizeof *t);
    t->kind = TOKENIZER_CHARS;
    for (int b = 0; b < 256; b++) {
        t->byte_to_id[b] = seen[b] ? t->n_text_tokens : -1;
        if (seen[b]) t->id_to_byte[t->n_text_tokens++] = (unsigned char)b;
    }
}

void tokenizer_init_bpe(Tokenizer *t, struct Bpe *bpe) {
    memset(t, 0, sizeof *t);
    t->kind = TOKENIZER_BPE;
    t->bpe = bpe;
    t->n_text_tokens = bpe_vocab_size(bpe);
    for (int b = 0; b < 256; b++) t->byte_to_id[b] = b, t->id_to_byte[b] = (unsigned char)b;
}

// A word of one byte has the id of "b</w>"; a byte without one has id 0 (<unk>).
void tokenizer_init_gpt1(Tokenizer *t, struct Gpt1Vocab *vocab) {
    memset(t, 0, sizeof *t);
    t->kind = TOKENIZER_GPT1;
    t->gpt1 = vocab;
    t->n_text_tokens = gpt1_vocab_size(vocab);
    for (int b = 0; b < 256; b++) {
        char word[5] = {(char)b, '<', '/', 'w', '>'};
        int id = b < 0x80 ? gpt1_token_id(vocab, word, 5) : -1;
        t->byte_to_id[b] = id >= 0 ? id : 0;
    }
    t->byte_to_id['\n'] = gpt1_newline_id(vocab);
}

void tokenizer_copy(Tokenizer *dst, const Tokenizer *src) {
    *dst = *src;
    if (src->gpt1 != NULL) {
        dst->gpt1 = gpt1_vocab_copy(src->gpt1);
        if (dst->gpt1 == NULL) out_of_memory("copying the GPT-1 vocabulary");
    }
    if (src->bpe != NULL) {
        size_t size;
        char *text = bpe_serialize(src->bpe, &size);
        dst->bpe = bpe_deserialize(text, size, "tokenizer copy", NULL);
        free(text);
    }
}

void tokenizer_free(Tokenizer *t) {
    bpe_free(t->bpe);
    gpt1_vocab_free(t->gpt1);
    t->bpe = NULL;
    t->gpt1 = NULL;
}

int tokenizer_vocab_size(const Tokenizer *t) { return t->n_text_tokens + t->n_task_tokens; }

int task_token_id(const Tokenizer *t, TaskToken which) { return t->n_text_tokens + (int)which; }

const char *tokenizer_kind_name(TokenizerKind kind) {
    static const char *const names[] = {"bytes", "chars", "bpe", "gpt1"};
    return kind >= TOKENIZER_BYTES && kind <= TOKENIZER_GPT1 ? names[kind] : "?";
}

int *tokenizer_encode(const Tokenizer *t, const char *text, size_t len, long *n_ids, char *error, size_t error_len) {
    if (t->kind == TOKENIZER_BPE) {
        int *bpe_ids = bpe_encode_alloc(t->bpe, text, len, n_ids);
        if (bpe_ids == NULL) snprintf(error, error_len, "out of memory encoding %zu bytes", len);
        return bpe_ids;
    }
    if (t->kind == TOKENIZER_GPT1) {
        int *gpt1_ids = gpt1_encode(t->gpt1, text, len, n_ids);
        if (gpt1_ids == NULL) snprintf(error, error_len, "out of memory encoding %zu bytes", len);
        return gpt1_ids;
    }
    int *ids = checked_malloc(sizeof(int) * len);
    for (size_t i = 0; i < len; i++) {
        unsigned char byte = (unsigned char)text[i];
        ids[i] = t->byte_to_id[byte];
        if (ids[i] < 0) {
            snprintf(error, error_len, "byte 0x%02x at offset %zu is not in the %d-character vocabulary", byte, i,
                     t->n_text_tokens);
            free(ids);
            return NULL;
        }
    }
    *n_ids = (long)len;
    return ids;
}

// The bytes of one text token: one byte, or a BPE token's several.
static const unsigned char *token_bytes(const Tokenizer *t, int id, int *length) {
    if (t->kind == TOKENIZER_BPE) return bpe_token_bytes(t->bpe, id, length);
    *length = 1;
    return &t->id_to_byte[id];
}

static void append_text(char **text, size_t *at, size_t *capacity, const char *bytes, size_t n) {
    if (*at + n + 1 > *capacity) {
        *capacity = 2 * (*at + n + 1);
        char *grown = realloc(*text, *capacity);
        if (grown == NULL) out_of_memory("decoding");
        *text = grown;
    }
    memcpy(*text + *at, bytes, n);
    *at += n;
    (*text)[*at] = '\0';
}

// GPT-1's text tokens are decoded a run at a time (decoding puts the spaces back
// between words); a task token stands between two runs as " <s> ".
static char *decode_gpt1(const Tokenizer *t, const int *ids, long n, size_t *len) {
    char *text = NULL;
    size_t at = 0, capacity = 0;
    append_text(&text, &at, &capacity, "", 0);
    for (long start = 0;;) {
        long end = start;
        while (end < n && !(ids[end] >= t->n_text_tokens && ids[end] < tokenizer_vocab_size(t))) end++;
        size_t run_length;
        char *run = gpt1_decode(t->gpt1, ids + start, end - start, &run_length);
        if (run == NULL) out_of_memory("decoding");
        append_text(&text, &at, &capacity, run, run_length);
        free(run);
        if (end == n) break;
        const char *task = TASK_TOKEN_TEXT[ids[end] - t->n_text_tokens];
        if (at > 0) append_text(&text, &at, &capacity, " ", 1);
        append_text(&text, &at, &capacity, task, strlen(task));
        append_text(&text, &at, &capacity, " ", 1);
        start = end + 1;
    }
    if (len != NULL) *len = at;
    return text;
}

char *tokenizer_decode(const Tokenizer *t, const int *ids, long n, size_t *len) {
    if (t->kind == TOKENIZER_GPT1) return decode_gpt1(t, ids, n, len);
    size_t capacity = 1;
    for (long i = 0; i < n; i++) {
        int length = 3;  // a task token is at most 3 bytes
        if (ids[i] >= 0 && ids[i] < t->n_text_tokens) token_bytes(t, ids[i], &length);
        capacity += (size_t)length;
    }
    char *text = checked_malloc(capacity);
    size_t at = 0;
    for (long i = 0; i < n; i++) {
        if (ids[i] >= 0 && ids[i] < t->n_text_tokens) {
            int length;
            const unsigned char *bytes = token_bytes(t, ids[i], &length);
            memcpy(text + at, bytes, (size_t)length);
            at += (size_t)length;
        } else if (ids[i] >= t->n_text_tokens && ids[i] < tokenizer_vocab_size(t)) {
            const char *s = TASK_TOKEN_TEXT[ids[i] - t->n_text_tokens];
            memcpy(text + at, s, strlen(s));
            at += strlen(s);
        }
    }
    text[at] = '\0';
    if (len != NULL) *len = at;
    return text;
}

void tokenizer_token_label(const Tokenizer *t, int id, char *buf, size_t len) {
    if (id >= t->n_text_tokens && id < tokenizer_vocab_size(t)) {
        snprintf(buf, len, "%s", TASK_TOKEN_TEXT[id - t->n_text_tokens]);
        return;
    }
    if (t->kind == TOKENIZER_BPE) {
        snprintf(buf, len, "%s", bpe_token_text(t->bpe, id));
        return;
    }
    if (t->kind == TOKENIZER_GPT1) {
        size_t length;
        const char *text = gpt1_token_text(t->gpt1, id, &length);
        if (text == NULL) snprintf(buf, len, "?");
        else if (text[0] == '\n') snprintf(buf, len, "\\n%.*s", (int)length - 1, text + 1);
        else snprintf(buf, len, "%.*s", (int)length, text);
        return;
    }
    unsigned char byte = t->id_to_byte[id & 255];
    if (byte == '\n')
        snprintf(buf, len, "\\n");
    else if (byte < 32 || byte >= 127)
        snprintf(buf, len, "\\x%02x", byte);
    else
        snprintf(buf, len, "%c", byte);
}

unsigned char *tokenizer_payload(const Tokenizer *t, size_t *len) {
    if (t->kind == TOKENIZER_BPE) return (unsigned char *)bpe_serialize(t->bpe, len);
    if (t->kind == TOKENIZER_GPT1) return (unsigned char *)gpt1_payload(t->gpt1, len);
    size_t n = t->kind == TOKENIZER_CHARS ? (size_t)t->n_text_tokens : 0;
    unsigned char *payload = checked_malloc(n);
    memcpy(payload, t->id_to_byte, n);
    *len = n;
    return payload;
}

bool tokenizer_from_payload(Tokenizer *t, TokenizerKind kind, int n_text_tokens, int n_task_tokens,
                            const unsigned char *payload, size_t len, char *error, size_t error_len) {
    if (kind == TOKENIZER_BYTES && n_text_tokens == 256 && len == 0) {
        tokenizer_init_bytes(t);
    } else if (kind == TOKENIZER_CHARS && n_text_tokens > 0 && n_text_tokens <= 256 && len == (size_t)n_text_tokens) {
        tokenizer_init_chars(t, (const char *)payload, len);
        if (t->n_text_tokens != n_text_tokens) {
            snprintf(error, error_len, "tokenizer: the character table repeats a byte");
            return false;
        }
    } else if (kind == TOKENIZER_BPE) {
        BpeError bpe_error;
        Bpe *bpe = bpe_deserialize((const char *)payload, len, "the checkpoint's vocabulary", &bpe_error);
        if (bpe == NULL) {
            snprintf(error, error_len, "tokenizer: %s", bpe_error.message);
            return false;
        }
        tokenizer_init_bpe(t, bpe);
        if (t->n_text_tokens != n_text_tokens) {
            snprintf(error, error_len, "tokenizer: the merges make %d tokens, the header says %d", t->n_text_tokens,
                     n_text_tokens);
            tokenizer_free(t);
            return false;
        }
    } else if (kind == TOKENIZER_GPT1) {
        char why[320];
        Gpt1Vocab *vocab = gpt1_from_payload((const char *)payload, len, why, sizeof why);
        if (vocab == NULL) {
            snprintf(error, error_len, "tokenizer: %s", why);
            return false;
        }
        tokenizer_init_gpt1(t, vocab);
        if (t->n_text_tokens != n_text_tokens) {
            snprintf(error, error_len, "tokenizer: the GPT-1 encoder has %d tokens, the header says %d",
                     t->n_text_tokens, n_text_tokens);
            tokenizer_free(t);
            return false;
        }
    } else {
        snprintf(error, error_len, "tokenizer: kind %d with %d tokens and a %zu-byte table is not valid", (int)kind,
                 n_text_tokens, len);
        return false;
    }
    if (n_task_tokens != 0 && n_task_tokens != N_TASK_TOKENS) {
        snprintf(error, error_len, "tokenizer: %d task tokens, expected 0 or %d", n_task_tokens, N_TASK_TOKENS);
        tokenizer_free(t);  // the merges or the vocabulary read above
        return false;
    }
    t->n_task_tokens = n_task_tokens;
    return true;
}
