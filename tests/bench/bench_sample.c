// Speed of generation: 200 tokens from a short prompt with the gpt1 preset (12 layers,
// width 768, n_ctx 512) and the 256-token byte vocabulary, once with the key/value cache
// (gpt/incremental.h, the default of gpt sample) and once recomputing the whole window
// for every token (gpt sample --no-cache). Random weights: the speed does not depend
// on them. One line each, in the format scripts read:
//   bench: name=sample preset=gpt1 vocab=256 prompt_tokens=15 tokens=200 cache=off threads=1 seconds=.. tokens_per_s=..
//   bench: name=sample preset=gpt1 vocab=256 prompt_tokens=15 tokens=200 cache=on threads=1 seconds=.. tokens_per_s=.. speedup=.. cache_mb=..
// The program fails when the two runs do not give the same tokens.
//   bench_sample [TOKENS]   (default 200)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/incremental.h"
#include "gpt/io/clock.h"
#include "gpt/sample.h"

static const char PROMPT[] = "The model reads";

// Generates with the same seed and options; returns the seconds it took.
static double timed_generate(Gpt *model, const int *prompt, long n_prompt, int tokens, bool no_cache, int **out) {
    SampleOptions options = {.n_tokens = tokens, .temperature = 1.0f, .no_cache = no_cache};
    Rng rng;
    rng_seed(&rng, 1);
    long n;
    double start = seconds_now();
    *out = generate(model, prompt, n_prompt, &options, &rng, &n);
    return seconds_now() - start;
}

static void print_line(int n_prompt, int tokens, bool cache, double seconds) {
    printf("bench: name=sample preset=gpt1 vocab=256 prompt_tokens=%d tokens=%d cache=%s threads=1 seconds=%.2f "
           "tokens_per_s=%.1f",
           n_prompt, tokens, cache ? "on" : "off", seconds, tokens / seconds);
}

int main(int argc, char **argv) {
    int tokens = argc > 1 ? atoi(argv[1]) : 200;
    if (tokens < 1 || tokens > 100000) {
        fprintf(stderr, "usage: bench_sample [TOKENS], 1 to 100000 tokens\n");
        return 2;
    }
    GptConfig config = preset_find("gpt1")->config;
    config.vocab_size = 256;
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);
    int n_prompt = (int)strlen(PROMPT), prompt[sizeof PROMPT];
    for (int i = 0; i < n_prompt; i++) prompt[i] = (unsigned char)PROMPT[i];  // bytes are their own ids
    int *recomputed, *cached;
    double slow = timed_generate(model, prompt, n_prompt, tokens, true, &recomputed);
    print_line(n_prompt, tokens, false, slow);
    printf("\n");
    fflush(stdout);
    double fast = timed_generate(model, prompt, n_prompt, tokens, false, &cached);
    GptKVCache *cache = gpt_kv_cache_create(model);
    print_line(n_prompt, tokens, true, fast);
    printf(" speedup=%.1f cache_mb=%.1f\n", slow / fast, gpt_kv_cache_bytes(cache) / (1024.0 * 1024.0));
    bool same = memcmp(recomputed, cached, sizeof(int) * (size_t)(n_prompt + tokens)) == 0;
    if (!same) fprintf(stderr, "bench_sample: the cache and the full recompute gave different tokens\n");
    gpt_kv_cache_free(cache);
    free(recomputed);
    free(cached);
    gpt_free(model);
    tape_free();
    return same ? 0 : 1;
}
