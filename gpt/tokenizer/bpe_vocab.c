// The vocabulary: the 512 base tokens, the merges in order, each token's bytes and
// display text, and the (left, right) -> merged id map that encoding looks merges up in.
// Training and loading both build it with bpe_new_base and bpe_add_merge, so a
// vocabulary file is checked by the same rules that training obeys.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/bpe_internal.h"

// The longest display text: every byte escaped as \xNN, then "</w>" and '\0'.
enum { MAX_TEXT_BYTES = 4 * BPE_MAX_PRETOKEN_BYTES + 5 };

int bpe_merge_symbols(int *symbols, int length, int left, int right, int merged) {
    int out = 0;
    for (int i = 0; i < length; i++) {
        if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right) {
            symbols[out++] = merged;
            i++;  // the right symbol is consumed too
        } else {
            symbols[out++] = symbols[i];
        }
    }
    return out;
}

// Writes the display text of a token into out (MAX_TEXT_BYTES): control bytes and
// backslash as C escapes, valid UTF-8 as it is, other bytes >= 0x80 as \xNN.
static void display_text(const unsigned char *bytes, int length, bool ends, char *out) {
    char *p = out;
    for (int i = 0; i < length;) {
        unsigned char c = bytes[i];
        uint32_t code;
        size_t n = c >= 0x80 ? bpe_utf8_decode(bytes + i, (size_t)(length - i), &code) : 0;
        if (n > 0) {
            memcpy(p, bytes + i, n);
            p += n;
            i += (int)n;
            continue;
        }
        if (c == '\\') p += sprintf(p, "\\\\");
        else if (c == '\n') p += sprintf(p, "\\n");
        else if (c == '\t') p += sprintf(p, "\\t");
        else if (c == '\r') p += sprintf(p, "\\r");
        else if (c < 0x20 || c >= 0x7F) p += sprintf(p, "\\x%02X", c);
        else *p++ = (char)c;
        i++;
    }
    strcpy(p, ends ? "</w>" : "");
}

// The per-token arrays grow together; every successful realloc is kept.
static bool grow_token_arrays(Bpe *bpe, size_t needed) {
    if (needed <= bpe->tokens_capacity) return true;
    size_t capacity = bpe->tokens_capacity ? 2 * bpe->tokens_capacity : 2 * BPE_BASE_TOKENS;
    size_t *start = realloc(bpe->token_start, capacity * sizeof *start);
    if (start != NULL) bpe->token_start = start;
    unsigned char *length = realloc(bpe->token_length, capacity * sizeof *length);
    if (length != NULL) bpe->token_length = length;
    bool *ends = realloc(bpe->token_ends, capacity * sizeof *ends);
    if (ends != NULL) bpe->token_ends = ends;
    size_t *text = realloc(bpe->text_start, capacity * sizeof *text);
    if (text != NULL) bpe->text_start = text;
    if (start == NULL || length == NULL || ends == NULL || text == NULL) return false;
    bpe->tokens_capacity = capacity;
    return true;
}

// Appends a token with these bytes as id bpe_vocab_size(bpe).
static bool add_token(Bpe *bpe, const unsigned char *bytes, int length, bool ends) {
    size_t id = (size_t)bpe_vocab_size(bpe);
    char text[MAX_TEXT_BYTES];
    display_text(bytes, length, ends, text);
    size_t text_length = strlen(text) + 1;
    if (!grow_token_arrays(bpe, id + 1)) return false;
    unsigned char *pool = bpe_grow(bpe->token_bytes, &bpe->token_bytes_capacity,
                                   bpe->token_bytes_used + (size_t)length, 1);
    if (pool == NULL) return false;
    bpe->token_bytes = pool;
    char *texts = bpe_grow(bpe->token_text, &bpe->token_text_capacity, bpe->token_text_used + text_length, 1);
    if (texts == NULL) return false;
    bpe->token_text = texts;
    memcpy(pool + bpe->token_bytes_used, bytes, (size_t)length);
    memcpy(texts + bpe->token_text_used, text, text_length);
    bpe->token_start[id] = bpe->token_bytes_used;
    bpe->token_length[id] = (unsigned char)length;
    bpe->token_ends[id] = ends;
    bpe->text_start[id] = bpe->token_text_used;
    bpe->n_tokens++;
    bpe->token_bytes_used += (size_t)length;
    bpe->token_text_used += text_length;
    return true;
}

Bpe *bpe_new_base(bool lowercase) {
    Bpe *bpe = calloc(1, sizeof *bpe);
    if (bpe == NULL) return NULL;
    bpe->lowercase = lowercase;
    bpe->cache = word_cache_new();
    if (bpe->cache == NULL) {
        free(bpe);
        return NULL;
    }
    for (int id = 0; id < BPE_BASE_TOKENS; id++) {
        unsigned char byte = (unsigned char)(id % BPE_BYTE_TOKENS);
        if (!add_token(bpe, &byte, 1, id >= BPE_BYTE_TOKENS)) {
            bpe_free(bpe);
            return NULL;
        }
    }
    return bpe;
}

// Why merge (left, right) cannot be the next one, or NULL when it can.
static const char *merge_problem(const Bpe *bpe, int left, int right, char *reason, size_t reason_size) {
    int vocab = bpe_vocab_size(bpe);
    if (bpe->n_merges >= BPE_MAX_MERGES)
        snprintf(reason, reason_size, "more than %d merges", BPE_MAX_MERGES);
    else if (left < 0 || left >= vocab)
        snprintf(reason, reason_size, "left id %d is not an id defined before this merge (0 to %d)", left, vocab - 1);
    else if (right < 0 || right >= vocab)
        snprintf(reason, reason_size, "right id %d is not an id defined before this merge (0 to %d)", right, vocab - 1);
    else if (bpe->token_ends[left])
        snprintf(reason, reason_size, "left id %d (%s) ends a pre-token, so no token can follow it", left,
                 bpe_token_text(bpe, left));
    else if (bpe->token_length[left] + bpe->token_length[right] > BPE_MAX_PRETOKEN_BYTES)
        snprintf(reason, reason_size, "the merged token would be %d bytes long, more than a pre-token's %d",
                 bpe->token_length[left] + bpe->token_length[right], BPE_MAX_PRETOKEN_BYTES);
    else if (pair_map_get(&bpe->merged_id, left, right) >= 0)
        snprintf(reason, reason_size, "the pair %d %d was already merged into id %d", left, right,
                 pair_map_get(&bpe->merged_id, left, right));
    else
        return NULL;
    return reason;
}

static bool grow_merge_arrays(Bpe *bpe) {
    size_t needed = (size_t)bpe->n_merges + 1;
    if (needed <= bpe->merges_capacity) return true;
    size_t capacity = bpe->merges_capacity ? 2 * bpe->merges_capacity : 1024;
    int *left = realloc(bpe->merge_left, capacity * sizeof *left);
    if (left != NULL) bpe->merge_left = left;
    int *right = realloc(bpe->merge_right, capacity * sizeof *right);
    if (right != NULL) bpe->merge_right = right;
    if (left == NULL || right == NULL) return false;
    bpe->merges_capacity = capacity;
    return true;
}

bool bpe_add_merge(Bpe *bpe, int left, int right, char *reason, size_t reason_size) {
    if (merge_problem(bpe, left, right, reason, reason_size) != NULL) return false;
    unsigned char bytes[BPE_MAX_PRETOKEN_BYTES];
    int left_length = bpe->token_length[left], right_length = bpe->token_length[right];
    memcpy(bytes, bpe->token_bytes + bpe->token_start[left], (size_t)left_length);
    memcpy(bytes + left_length, bpe->token_bytes + bpe->token_start[right], (size_t)right_length);
    int id = bpe_vocab_size(bpe);
    if (!grow_merge_arrays(bpe) || !add_token(bpe, bytes, left_length + right_length, bpe->token_ends[right]) ||
        !pair_map_put(&bpe->merged_id, left, right, id)) {
        snprintf(reason, reason_size, "out of memory");
        return false;
    }
    bpe->merge_left[bpe->n_merges] = left;
    bpe->merge_right[bpe->n_merges] = right;
    bpe->n_merges++;
    return true;
}

void bpe_free(Bpe *bpe) {
    if (bpe == NULL) return;
    free(bpe->merge_left);
    free(bpe->merge_right);
    pair_map_free(&bpe->merged_id);
    free(bpe->token_bytes);
    free(bpe->token_start);
    free(bpe->token_length);
    free(bpe->token_ends);
    free(bpe->token_text);
    free(bpe->text_start);
    word_cache_free(bpe->cache);
    free(bpe);
}

int bpe_vocab_size(const Bpe *bpe) { return bpe->n_tokens; }
int bpe_merge_count(const Bpe *bpe) { return bpe->n_merges; }
bool bpe_lowercases(const Bpe *bpe) { return bpe->lowercase; }

void bpe_merge_pair(const Bpe *bpe, int k, int *left, int *right) {
    bool valid = k >= 0 && k < bpe->n_merges;
    *left = valid ? bpe->merge_left[k] : -1;
    *right = valid ? bpe->merge_right[k] : -1;
}

const char *bpe_token_text(const Bpe *bpe, int id) {
    if (id < 0 || id >= bpe_vocab_size(bpe)) return "?";
    return bpe->token_text + bpe->text_start[id];
}

const unsigned char *bpe_token_bytes(const Bpe *bpe, int id, int *length) {
    if (id < 0 || id >= bpe_vocab_size(bpe)) return NULL;
    *length = bpe->token_length[id];
    return bpe->token_bytes + bpe->token_start[id];
}

bool bpe_token_ends_pretoken(const Bpe *bpe, int id) {
    return id >= 0 && id < bpe_vocab_size(bpe) && bpe->token_ends[id];
}
