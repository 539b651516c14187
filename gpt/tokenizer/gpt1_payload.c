#include "gpt/tokenizer/gpt1_payload.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "gpt1.c-gpt1-tokenizer 1\n"

char *gpt1_payload(const Gpt1Vocab *vocab, size_t *len) {
    size_t encoder_len, merges_len;
    char *encoder = gpt1_vocab_json(vocab, &encoder_len), *merges = gpt1_merges_text(vocab, &merges_len);
    size_t capacity = strlen(MAGIC) + encoder_len + merges_len + 64;
    char *out = encoder && merges ? malloc(capacity) : NULL;
    if (out != NULL) {
        size_t n = (size_t)sprintf(out, "%sencoder %zu\n", MAGIC, encoder_len);
        memcpy(out + n, encoder, encoder_len);
        n += encoder_len;
        n += (size_t)sprintf(out + n, "\nmerges %zu\n", merges_len);
        memcpy(out + n, merges, merges_len);
        n += merges_len;
        n += (size_t)sprintf(out + n, "\nend\n");
        *len = n;
    }
    free(encoder);
    free(merges);
    return out;
}

// "<field> N\n" at data[*at], then N bytes and "\n": the part's start and length.
static bool read_part(const char *data, size_t len, size_t *at, const char *field, size_t *start, size_t *n) {
    size_t field_len = strlen(field);
    if (len - *at < field_len + 2 || memcmp(data + *at, field, field_len) != 0 || data[*at + field_len] != ' ')
        return false;
    size_t p = *at + field_len + 1, value = 0, digits = 0;
    for (; p < len && data[p] >= '0' && data[p] <= '9' && digits < 10; p++, digits++) value = value * 10 + (size_t)(data[p] - '0');
    if (digits == 0 || p >= len || data[p] != '\n' || value > len - p - 1 || len - p - 1 - value < 1 ||
        data[p + 1 + value] != '\n')
        return false;
    *start = p + 1, *n = value;
    *at = p + 1 + value + 1;
    return true;
}

Gpt1Vocab *gpt1_from_payload(const char *data, size_t len, char *error, size_t error_len) {
    size_t at = strlen(MAGIC), encoder, encoder_n, merges, merges_n;
    const char *problem = NULL;
    if (data == NULL || len < at || memcmp(data, MAGIC, at) != 0) problem = "the first line 'gpt1.c-gpt1-tokenizer 1'";
    else if (!read_part(data, len, &at, "encoder", &encoder, &encoder_n)) problem = "'encoder N', N bytes and a newline";
    else if (!read_part(data, len, &at, "merges", &merges, &merges_n)) problem = "'merges N', N bytes and a newline";
    else if (len - at != 4 || memcmp(data + at, "end\n", 4) != 0) problem = "'end' and nothing after it";
    if (problem != NULL) {
        snprintf(error, error_len, "the GPT-1 vocabulary: expected %s", problem);
        return NULL;
    }
    return gpt1_vocab_parse(data + encoder, encoder_n, "the GPT-1 encoder", data + merges, merges_n,
                            "the GPT-1 merges", error, error_len);
}
