// Decoding GPT-1's tokens: "".join(tokens).replace("</w>", " ") (Hugging Face's
// convert_tokens_to_string), then the spacing that cleaning and splitting put around
// punctuation is taken out again, so that the text reads normally:
//
//   no space before   . , ! ? ; : ) ] } % '' ... and the contractions n't 's 'm 'd 're 've 'll
//   no space after    ( [ { $ # ``
//   none around       - and / between words (well-known, and/or)
//   a double quote    opens (no space after) and closes (no space before) in turn
//   a newline         no spaces around it
//
// Every such text encodes back to the same ids, except where a word was spaced oddly
// in the first place ("j ." comes back as "j.", which is one word).
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/gpt1_internal.h"

static bool word_is(const char *w, size_t n, const char *text) { return n == strlen(text) && memcmp(w, text, n) == 0; }

static bool attaches_left(const char *w, size_t n, bool quote_open) {
    static const char *const left[] = {".", ",", "!", "?", ";", ":", ")", "]", "}", "%", "''", "-", "/",
                                       "n't", "'s", "'m", "'d", "'re", "'ve", "'ll"};
    for (size_t i = 0; i < sizeof left / sizeof *left; i++)
        if (word_is(w, n, left[i])) return true;
    bool dots = n > 1;
    for (size_t i = 0; i < n; i++) dots = dots && w[i] == '.';
    return dots || (quote_open && word_is(w, n, "\""));
}

static bool attaches_right(const char *w, size_t n, bool quote_open) {
    static const char *const right[] = {"(", "[", "{", "$", "#", "``", "-", "/"};
    for (size_t i = 0; i < sizeof right / sizeof *right; i++)
        if (word_is(w, n, right[i])) return true;
    return !quote_open && word_is(w, n, "\"");
}

typedef struct Detokenizer {
    char *out;
    size_t n;
    bool at_line_start;   // the start of the text or just after a newline: no space
    bool glue_next;       // the last word attaches to the next one
    bool quote_open;
} Detokenizer;

static void put_word(Detokenizer *d, const char *w, size_t n) {
    if (word_is(w, n, "\n")) {
        d->out[d->n++] = '\n';
        d->at_line_start = true, d->quote_open = false;
        return;
    }
    if (!d->at_line_start && !d->glue_next && !attaches_left(w, n, d->quote_open)) d->out[d->n++] = ' ';
    memcpy(d->out + d->n, w, n);
    d->n += n;
    d->glue_next = attaches_right(w, n, d->quote_open);
    if (word_is(w, n, "\"")) d->quote_open = !d->quote_open;
    d->at_line_start = false;
}

char *gpt1_decode(const Gpt1Vocab *vocab, const int *ids, long n_ids, size_t *len) {
    size_t capacity = 1;
    for (long i = 0; i < n_ids; i++) {
        size_t length = 0;
        if (gpt1_token_text(vocab, ids[i], &length) != NULL) capacity += length + 1;
    }
    Detokenizer d = {.out = malloc(capacity), .at_line_start = true};
    char *word = malloc(capacity);
    if (d.out == NULL || word == NULL) {
        free(d.out);
        free(word);
        return NULL;
    }
    size_t word_n = 0;
    for (long i = 0; i < n_ids; i++) {
        size_t length;
        const char *token = gpt1_token_text(vocab, ids[i], &length);
        if (token == NULL) continue;
        bool ends = length >= 4 && memcmp(token + length - 4, "</w>", 4) == 0;
        memcpy(word + word_n, token, ends ? length - 4 : length);
        word_n += ends ? length - 4 : length;
        if (ends) put_word(&d, word, word_n), word_n = 0;
    }
    if (word_n > 0) put_word(&d, word, word_n);
    free(word);
    d.out[d.n] = '\0';
    if (len != NULL) *len = d.n;
    return d.out;
}
