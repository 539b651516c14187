#include "gpt/synthetic_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor/rng.h"

static const char LETTERS[] = "abcdefghijklmnopqrstuvwxyz";
enum { N_LETTERS = 26, LONGEST_LINE = 64 };
static const uint64_t SEED = 0x5EEDu;  // the same text on every machine

// `count` different letters in a random order: a partial Fisher-Yates shuffle.
static void distinct_letters(Rng *rng, char *out, int count) {
    char pool[N_LETTERS];
    memcpy(pool, LETTERS, N_LETTERS);
    for (int i = 0; i < count; i++) {
        int j = i + rng_below(rng, N_LETTERS - i);
        char c = pool[j];
        pool[j] = pool[i], pool[i] = c;
        out[i] = c;
    }
}

// "qwqwqwqw\n": two letters taking turns, 4 to 8 times.
static int pair_line(Rng *rng, char *line) {
    char pair[2];
    distinct_letters(rng, pair, 2);
    int n = 2 * (4 + rng_below(rng, 5));
    for (int i = 0; i < n; i++) line[i] = pair[i % 2];
    line[n] = '\n';
    return n + 1;
}

// "hdkzvn hdkzvn hdkzvn\n": a word of 4 to 10 different letters, three times.
static int repeat_line(Rng *rng, char *line) {
    char word[10];
    int length = 4 + rng_below(rng, 7), n = 0;
    distinct_letters(rng, word, length);
    for (int copy = 0; copy < 3; copy++) {
        memcpy(line + n, word, (size_t)length);
        n += length;
        line[n++] = copy < 2 ? ' ' : '\n';
    }
    return n;
}

typedef struct SyntheticText {
    const char *name;
    bool repeats;  // a third of the lines are repeated words (the rest: pairs)
} SyntheticText;

static const SyntheticText TEXTS[] = {{"previous", false}, {"induction", true}};

char *synthetic_text(const char *name, size_t *len) {
    const SyntheticText *spec = NULL;
    for (size_t i = 0; i < sizeof TEXTS / sizeof TEXTS[0]; i++)
        if (strcmp(TEXTS[i].name, name) == 0) spec = &TEXTS[i];
    if (spec == NULL) return NULL;
    char *text = malloc(SYNTHETIC_TEXT_BYTES + LONGEST_LINE + 1);
    if (text == NULL) {
        fprintf(stderr, "synthetic_text: out of memory\n");
        abort();
    }
    Rng rng;
    rng_seed(&rng, SEED);
    size_t n = 0;
    while (n < SYNTHETIC_TEXT_BYTES) {
        bool repeat = spec->repeats && rng_below(&rng, 3) == 0;
        n += (size_t)(repeat ? repeat_line(&rng, text + n) : pair_line(&rng, text + n));
    }
    text[n] = '\0';
    *len = n;
    return text;
}

const char *synthetic_text_names(void) { return "previous, induction"; }
