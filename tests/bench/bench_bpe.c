// BPE speed: training 8,000 merges and encoding about 1 MB of text. Run from the
// project root (make bench). It reads ../shared/data/tinyshakespeare/input.txt when that
// file exists beside the project and otherwise generates a text of the same size; the
// first line says which. Each result is one stable line:
//   bench: name=bpe_train merges=8000 bytes=1115394 seconds=0.52
//   bench: name=bpe_encode bytes=1115394 mb_per_s=87.3
// The program also checks that the encoded text decodes back exactly and fails if not.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpt/tokenizer/bpe.h"
#include "tensor/rng.h"

static const char *DATA_PATH = "../shared/data/tinyshakespeare/input.txt";
enum { MERGES = 8000, GENERATED_BYTES = 1115394, ENCODE_REPEATS = 5 };

static double wall_seconds(void) {
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char *read_file(const char *path, size_t *len) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) return NULL;
    char *text = NULL;
    size_t capacity = 0, n = 0, got;
    do {
        if (n == capacity) {
            capacity = capacity ? 2 * capacity : 1 << 20;
            char *grown = realloc(text, capacity);
            if (grown == NULL) break;
            text = grown;
        }
        got = fread(text + n, 1, capacity - n, file);
        n += got;
    } while (got > 0);
    fclose(file);
    *len = n;
    return text;
}

// A made-up word of 1 to 4 syllables, written to out; returns its length.
static int make_word(Rng *rng, char *out) {
    static const char *onsets[] = {"", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w",
                                   "th", "sh", "ch", "st", "tr", "br", "pl", "gr", "wh"};
    static const char *vowels[] = {"a", "e", "i", "o", "u", "ea", "ou", "ai", "ee", "y"};
    static const char *codas[] = {"", "", "", "n", "r", "s", "t", "l", "nd", "ng", "ck", "st"};
    int length = 0, syllables = 1 + rng_below(rng, 2) + rng_below(rng, 3) / 2;
    for (int k = 0; k < syllables; k++)
        length += sprintf(out + length, "%s%s%s", onsets[rng_below(rng, (int)(sizeof onsets / sizeof *onsets))],
                          vowels[rng_below(rng, (int)(sizeof vowels / sizeof *vowels))],
                          codas[rng_below(rng, (int)(sizeof codas / sizeof *codas))]);
    return length;
}

// English-looking text: a lexicon of made-up words used with Zipf's law (word r is
// drawn with probability ~1/r), in sentences with capitals, commas and line breaks,
// so that BPE has as much to learn as from a real book.
static char *generate_text(size_t len) {
    enum { LEXICON = 30000, MAX_WORD = 4 * 8 };
    Rng rng;
    rng_seed(&rng, 1234);
    char *lexicon = malloc((size_t)LEXICON * (MAX_WORD + 1)), *text = malloc(len + 2 * MAX_WORD);
    if (lexicon == NULL || text == NULL) {
        free(lexicon);
        free(text);
        return NULL;
    }
    for (int w = 0; w < LEXICON; w++) lexicon[w * (MAX_WORD + 1) + make_word(&rng, lexicon + w * (MAX_WORD + 1))] = 0;
    size_t n = 0;
    bool sentence_start = true;
    while (n < len) {
        int rank = (int)exp(log((double)LEXICON) * (double)rng_uniform(&rng));  // log-uniform: Zipf
        const char *word = lexicon + (rank - 1) * (MAX_WORD + 1);
        n += (size_t)sprintf(text + n, "%s%c%s", sentence_start ? "" : " ",
                             sentence_start ? word[0] - 'a' + 'A' : word[0], word + 1);
        int r = rng_below(&rng, 24);
        sentence_start = r <= 1;
        if (r == 0) n += (size_t)sprintf(text + n, ".");
        if (r == 1) n += (size_t)sprintf(text + n, ".\n");
        if (r == 2) n += (size_t)sprintf(text + n, ",");
    }
    free(lexicon);
    return text;
}

static double bench_train(const char *text, size_t len, Bpe **bpe) {
    BpeOptions options = {.progress = bpe_progress_to_stderr};
    BpeError error;
    double start = wall_seconds();
    *bpe = bpe_train(text, len, MERGES, &options, &error);
    double seconds = wall_seconds() - start;
    if (*bpe == NULL) fprintf(stderr, "%s\n", error.message);
    return seconds;
}

// Encodes the text with a vocabulary whose cache is empty (cold), then again with the
// cache filled (warm); checks the round trip.
static bool bench_encode(const Bpe *trained, const char *text, size_t len) {
    size_t size;
    char *saved = bpe_serialize(trained, &size);
    Bpe *bpe = saved ? bpe_deserialize(saved, size, "serialized", NULL) : NULL;
    free(saved);
    long n_ids = 0;
    int *ids = bpe ? malloc((len + 1) * sizeof *ids) : NULL;
    char *decoded = malloc(len + 1);
    if (ids == NULL || decoded == NULL) return false;
    double start = wall_seconds();
    n_ids = bpe_encode(bpe, text, len, ids, (long)len + 1);
    double cold = wall_seconds() - start;
    start = wall_seconds();
    for (int r = 0; r < ENCODE_REPEATS; r++) bpe_encode(bpe, text, len, ids, (long)len + 1);
    double warm = (wall_seconds() - start) / ENCODE_REPEATS;
    start = wall_seconds();
    size_t decoded_len = bpe_decode(bpe, ids, n_ids, decoded, len + 1);
    double decode = wall_seconds() - start;
    bool exact = decoded_len == len && memcmp(decoded, text, len) == 0;
    double mb = (double)len / 1e6;
    printf("bench: name=bpe_encode bytes=%zu mb_per_s=%.1f\n", len, mb / warm);
    printf("bench: name=bpe_encode_cold bytes=%zu mb_per_s=%.1f\n", len, mb / cold);
    printf("bench: name=bpe_decode bytes=%zu mb_per_s=%.1f\n", len, mb / decode);
    printf("bench: name=bpe_tokens bytes=%zu tokens=%ld bytes_per_token=%.2f round_trip=%s\n", len, n_ids,
           (double)len / (double)n_ids, exact ? "exact" : "FAILED");
    free(ids);
    free(decoded);
    bpe_free(bpe);
    return exact;
}

int main(void) {
    size_t len = 0;
    char *text = read_file(DATA_PATH, &len);
    if (text != NULL) {
        fprintf(stderr, "bpe benchmark text: %s\n", DATA_PATH);
    } else {
        len = GENERATED_BYTES;
        text = generate_text(len);
        fprintf(stderr, "bpe benchmark text: generated (%s not found)\n", DATA_PATH);
    }
    if (text == NULL) return EXIT_FAILURE;
    Bpe *bpe;
    double seconds = bench_train(text, len, &bpe);
    if (bpe == NULL) return EXIT_FAILURE;
    printf("bench: name=bpe_train merges=%d bytes=%zu seconds=%.2f\n", bpe_merge_count(bpe), len, seconds);
    bool ok = bench_encode(bpe, text, len);
    bpe_free(bpe);
    free(text);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
