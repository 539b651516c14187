// BPE speed: training 8,000 merges and encoding about 1 MB of text. Run from the
// project root (make bench). It reads ../shared/data/tinyshakespeare/input.txt when that
// file exists beside the project and otherwise generates a text of the same size; the
// first line says which. Each result is one stable line:
//   bench: name=bpe_train merges=8000 bytes=1115394 seconds=0.52
//   bench: name=bpe_encode bytes=1115394 mb_per_s=87.3
// The program also checks that the encoded text decodes back exactly and fails if not.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpt/bpe.h"
#include "tensor/rng.h"

static const char *DATA_PATH = "../shared/data/tinyshakespeare/input.txt";
enum { MERGES = 8000, GENERATED_BYTES = 1115394, ENCODE_REPEATS = 5 };

static double now_seconds(void) {
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

// English-looking text: words drawn with Zipf-like frequencies from a fixed list, in
// sentences with commas, capitals and line breaks, so that BPE has something to learn.
static char *generate_text(size_t len) {
    static const char *words[] = {
        "the", "and", "of", "to", "a", "in", "that", "is", "was", "he", "for", "it", "with", "as", "his",
        "on", "be", "at", "by", "i", "this", "had", "not", "are", "but", "from", "or", "have", "an", "they",
        "which", "one", "you", "were", "her", "all", "she", "there", "would", "their", "we", "him", "been",
        "has", "when", "who", "will", "more", "no", "if", "out", "so", "said", "what", "up", "its", "about",
        "into", "than", "them", "can", "only", "other", "new", "some", "could", "time", "these", "two", "may",
        "then", "do", "first", "any", "my", "now", "such", "like", "our", "over", "man", "me", "even", "most",
        "made", "after", "also", "did", "many", "before", "must", "through", "back", "years", "where", "much",
        "your", "way", "well", "down", "should", "because", "each", "just", "those", "people", "how", "too",
        "little", "state", "good", "very", "make", "world", "still", "own", "see", "men", "work", "long",
        "get", "here", "between", "both", "life", "being", "under", "never", "day", "same", "another", "know",
        "while", "last", "might", "us", "great", "old", "year", "off", "come", "since", "against", "go",
        "came", "right", "used", "take", "three", "kingdom", "thousand", "wonderful", "remembering"};
    const int n_words = (int)(sizeof words / sizeof words[0]);
    Rng rng;
    rng_seed(&rng, 1234);
    char *text = malloc(len + 32);
    if (text == NULL) return NULL;
    size_t n = 0;
    bool sentence_start = true;
    while (n < len) {
        float u = rng_uniform(&rng);
        int w = (int)((float)n_words * u * u * u);  // small indices much more often
        n += (size_t)sprintf(text + n, "%s%c%s", sentence_start ? "" : " ", words[w][0] - (sentence_start ? 32 : 0),
                             words[w] + 1);
        sentence_start = false;
        int r = rng_below(&rng, 20);
        if (r == 0) n += (size_t)sprintf(text + n, ",");
        if (r == 1) n += (size_t)sprintf(text + n, ".%s", rng_below(&rng, 3) ? "" : "\n"), sentence_start = true;
    }
    return text;
}

static double bench_train(const char *text, size_t len, Bpe **bpe) {
    BpeOptions options = {.progress = bpe_progress_to_stderr};
    BpeError error;
    double start = now_seconds();
    *bpe = bpe_train(text, len, MERGES, &options, &error);
    double seconds = now_seconds() - start;
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
    double start = now_seconds();
    n_ids = bpe_encode(bpe, text, len, ids, (long)len + 1);
    double cold = now_seconds() - start;
    start = now_seconds();
    for (int r = 0; r < ENCODE_REPEATS; r++) bpe_encode(bpe, text, len, ids, (long)len + 1);
    double warm = (now_seconds() - start) / ENCODE_REPEATS;
    start = now_seconds();
    size_t decoded_len = bpe_decode(bpe, ids, n_ids, decoded, len + 1);
    double decode = now_seconds() - start;
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
        printf("bench: bpe data=%s\n", DATA_PATH);
    } else {
        len = GENERATED_BYTES;
        text = generate_text(len);
        printf("bench: bpe data=generated (%s not found)\n", DATA_PATH);
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
