// GPT-1's tokenizer: encoding speed with the released vocabulary. Run from the project
// root (make bench). The vocabulary is not part of the repository: the program reads
// ../shared/data/gpt1 when it is there (and the text ../shared/data/tinyshakespeare/
// input.txt, or else a made-up English-like text), and otherwise says so and measures
// nothing. One stable line per result:
//   bench: name=gpt1_encode bytes=1115394 mb_per_s=25.1
//   bench: name=gpt1_encode_cold bytes=1115394 mb_per_s=12.0
//   bench: name=gpt1_decode bytes=1115394 mb_per_s=80.2
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpt/io/text_file.h"
#include "gpt/tokenizer/gpt1_vocab.h"

static const char *VOCAB_DIR = "../shared/data/gpt1", *TEXT_PATH = "../shared/data/tinyshakespeare/input.txt";
enum { REPEATS = 3 };

static double encode_clock(void) {
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

// Sentences of common words, when the real text is absent.
static char *made_up_text(size_t len) {
    static const char *const words[] = {"the", "president", "is", "a", "very", "good", "man", "said", "he",
                                        "don't", "know", "what", "happened", "to", "her", "yesterday", "and"};
    char *text = malloc(len + 32);
    size_t n = 0;
    for (unsigned k = 1; text != NULL && n < len; k = k * 1103515245u + 12345u) {
        const char *w = words[(k >> 16) % (sizeof words / sizeof *words)];
        n += (size_t)sprintf(text + n, (k >> 8) % 13 == 0 ? "%s.\n" : (k >> 8) % 7 == 0 ? "%s, " : "%s ", w);
    }
    if (text != NULL) text[len] = '\0';
    return text;
}

int main(void) {
    char error[512];
    Gpt1Vocab *vocab = gpt1_vocab_load(VOCAB_DIR, error, sizeof error);
    if (vocab == NULL) {
        fprintf(stderr, "gpt1 tokenizer benchmark: not run (%s)\n", error);
        return 0;
    }
    size_t len;
    char *text = read_text_file(TEXT_PATH, &len, error, sizeof error);
    if (text == NULL) text = made_up_text(len = 1115394);
    fprintf(stderr, "gpt1 tokenizer benchmark text: %s\n", text ? TEXT_PATH : "made up");
    long n_ids;
    double start = encode_clock();
    int *ids = gpt1_encode(vocab, text, len, &n_ids);
    double cold = encode_clock() - start;
    start = encode_clock();
    for (int r = 0; r < REPEATS; r++) free(gpt1_encode(vocab, text, len, &n_ids));
    double warm = (encode_clock() - start) / REPEATS;
    start = encode_clock();
    size_t decoded_len;
    free(gpt1_decode(vocab, ids, n_ids, &decoded_len));
    double decode = encode_clock() - start;
    double mb = (double)len / 1e6;
    printf("bench: name=gpt1_encode bytes=%zu mb_per_s=%.1f\n", len, mb / warm);
    printf("bench: name=gpt1_encode_cold bytes=%zu mb_per_s=%.1f\n", len, mb / cold);
    printf("bench: name=gpt1_decode bytes=%zu mb_per_s=%.1f\n", len, mb / decode);
    printf("bench: name=gpt1_tokens bytes=%zu tokens=%ld bytes_per_token=%.2f\n", len, n_ids, (double)len / (double)n_ids);
    free(ids);
    free(text);
    gpt1_vocab_free(vocab);
    return 0;
}
