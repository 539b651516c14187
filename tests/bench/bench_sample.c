// Speed of generation: 200 tokens from a short prompt with the gpt1 preset (12 layers,
// width 768, n_ctx 512), once recomputing the whole window for every token (gpt sample
// --no-cache) and once with the key/value cache (gpt/incremental.h, the default of gpt
// sample), with the 256-token byte vocabulary on one thread; then the cache on every
// core, and the cache with GPT-1's own 40,478-token vocabulary (its tied head is 158 times
// wider) on one thread and on every core. Random weights: the speed does not depend on
// them. One line each, in the format scripts read:
//   bench: name=sample preset=gpt1 vocab=256 prompt_tokens=15 tokens=200 cache=off threads=1 seconds=.. tokens_per_s=..
//   bench: name=sample preset=gpt1 vocab=256 prompt_tokens=15 tokens=200 cache=on threads=1 seconds=.. tokens_per_s=.. speedup=.. cache_mb=..
//   bench: name=sample preset=gpt1 vocab=256 ... cache=on threads=2 ...
//   bench: name=sample preset=gpt1 vocab=40478 ... cache=on threads=1 / threads=2 ...
// The program fails when the cache and the full recompute do not give the same tokens.
//   bench_sample [TOKENS]   (default 200)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/incremental.h"
#include "gpt/io/clock.h"
#include "gpt/sample.h"
#include "tensor/parallel.h"

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

static void print_line(int vocab, int n_prompt, int tokens, bool cache, double seconds) {
    printf("bench: name=sample preset=gpt1 vocab=%d prompt_tokens=%d tokens=%d cache=%s threads=%d seconds=%.2f "
           "tokens_per_s=%.1f",
           vocab, n_prompt, tokens, cache ? "on" : "off", parallel_threads(), seconds, tokens / seconds);
}

static Gpt *gpt1_model(int vocab) {
    GptConfig config = preset_find("gpt1")->config;
    config.vocab_size = vocab;
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);
    return model;
}

// The cache alone, on 1 thread and on every core; the prompt's ids are valid in both vocabularies.
static void cached_lines(Gpt *model, int vocab, const int *prompt, int n_prompt, int tokens, int cores) {
    const int thread_counts[2] = {1, cores};
    for (int c = 0; c < (cores > 1 ? 2 : 1); c++) {
        if (vocab == 256 && thread_counts[c] == 1) continue;  // measured beside the full recompute
        parallel_set_threads(thread_counts[c]);
        int *ids;
        double seconds = timed_generate(model, prompt, n_prompt, tokens, false, &ids);
        print_line(vocab, n_prompt, tokens, true, seconds);
        printf("\n");
        fflush(stdout);
        free(ids);
    }
}

int main(int argc, char **argv) {
    int tokens = argc > 1 ? atoi(argv[1]) : 200;
    if (tokens < 1 || tokens > 100000) {
        fprintf(stderr, "usage: bench_sample [TOKENS], 1 to 100000 tokens\n");
        return 2;
    }
    char error[200];
    int cores = parallel_default_threads(error, sizeof error);  // GPT_THREADS, or the online cores
    if (cores == 0) {
        fprintf(stderr, "bench_sample: %s\n", error);
        return 2;
    }
    parallel_set_threads(1);
    Gpt *model = gpt1_model(256);
    int n_prompt = (int)strlen(PROMPT), prompt[sizeof PROMPT];
    for (int i = 0; i < n_prompt; i++) prompt[i] = (unsigned char)PROMPT[i];  // bytes are their own ids
    int *recomputed, *cached;
    double slow = timed_generate(model, prompt, n_prompt, tokens, true, &recomputed);
    print_line(256, n_prompt, tokens, false, slow);
    printf("\n");
    fflush(stdout);
    double fast = timed_generate(model, prompt, n_prompt, tokens, false, &cached);
    GptKVCache *cache = gpt_kv_cache_create(model);
    print_line(256, n_prompt, tokens, true, fast);
    printf(" speedup=%.1f cache_mb=%.1f\n", slow / fast, gpt_kv_cache_bytes(cache) / (1024.0 * 1024.0));
    fflush(stdout);
    bool same = memcmp(recomputed, cached, sizeof(int) * (size_t)(n_prompt + tokens)) == 0;
    if (!same) fprintf(stderr, "bench_sample: the cache and the full recompute gave different tokens\n");
    gpt_kv_cache_free(cache);
    free(recomputed);
    free(cached);
    cached_lines(model, 256, prompt, n_prompt, tokens, cores);
    gpt_free(model);
    model = gpt1_model(40478);
    cached_lines(model, 40478, prompt, n_prompt, tokens, cores);
    gpt_free(model);
    tape_free();
    parallel_stop();
    return same ? 0 : 1;
}
