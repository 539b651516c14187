// Decoding GPT-1's tokens: "".join(tokens).replace("</w>", " ") (Hugging Face's
// convert_tokens_to_string), then the spacing that cleaning and splitting put around
// punctuation is taken out again, so that the text reads normally:
//
//   no space before   . , ! ? ; : ) ] } % '' ... and the contractions n't 's 'm 'd 're 've 'll
//   no space after    ( [ { $ # ``
//   none around       - and / between words (well-known, and/or)
//   a double quote    opens (no space after) and closes (no space before) in turn
//   a newline         no spaces around it
//   nor a word that   the splitter would keep whole: "i ." stays "i ." (not "i.")
//   the same mark     is not glued to itself: ". . .", "' ''" and "- --" stay spaced
//                     (joined, they would be other words)
//
// Every such text encodes back to the same ids, except where a word was spaced oddly
// in the first place ("j ." comes back as "j.", which is one word).
#include <stdlib.h>
#include <string.h>

#include "gpt/tokenizer/gpt1_internal.h"

static bool word_is(const char *w, size_t n, const char *text) { return n == strlen(text) && memcmp(w, text, n) == 0; }

static bool is_alnum_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static bool attaches_left(const char *w, size_t n, bool quote_open) {
    static const char *const left[] = {".", ",", "!", "?", ";", ":", ")", "]", "}", "%", "''", "-", "/",
                                       "n't", "'s", "'m", "'d", "'re", "'ve", "'ll"};
    for (size_t i = 0; n <= 3 && i < sizeof left / sizeof *left; i++)
        if (word_is(w, n, left[i])) return true;
    bool dots = n > 1;
    for (size_t i = 0; i < n; i++) dots = dots && w[i] == '.';
    return dots || (quote_open && word_is(w, n, "\""));
}

static bool attaches_right(const char *w, size_t n, bool quote_open) {
    static const char *const right[] = {"(", "[", "{", "$", "#", "``", "-", "/"};
    for (size_t i = 0; n <= 2 && i < sizeof right / sizeof *right; i++)
        if (word_is(w, n, right[i])) return true;
    return !quote_open && word_is(w, n, "\"");
}

typedef struct Detokenizer {
    char *out;
    size_t n;
    char last;            // the last byte written
    size_t word_start;    // where the last word (of the splitter, not between spaces) starts in out
    bool at_line_start;   // the start of the text or just after a newline: no space
    bool glue_next;       // the last word attaches to the next one
    bool quote_open;
} Detokenizer;

// Whether gluing w to the last word would make a word the splitter keeps whole: "i" and
// "." must not become "i." (nor "mr" and "." "mr.").
static bool makes_special(const Detokenizer *d, const char *w, size_t n) {
    size_t last_n = d->n - d->word_start;
    char joined[16];
    if (d->at_line_start || last_n + n > sizeof joined) return false;
    memcpy(joined, d->out + d->word_start, last_n);
    memcpy(joined + last_n, w, n);
    return gpt1_is_special_word(joined, last_n + n);
}

static void put_word(Detokenizer *d, const char *w, size_t n) {
    if (word_is(w, n, "\n")) {
        d->out[d->n++] = '\n';
        d->at_line_start = true, d->quote_open = false;
        return;
    }
    // Punctuation is not glued to the same punctuation: ". . ." stays three words.
    bool same_mark = n > 0 && w[0] == d->last && !is_alnum_byte(d->last);
    bool glue = (d->glue_next || attaches_left(w, n, d->quote_open)) && !same_mark && !makes_special(d, w, n);
    if (!d->at_line_start && !glue) d->out[d->n++] = ' ';
    d->word_start = d->n;
    memcpy(d->out + d->n, w, n);
    d->n += n;
    d->glue_next = attaches_right(w, n, d->quote_open);
    if (n > 0) d->last = w[n - 1];
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
