// Tutorial 09: generating with a key/value cache. Why earlier rows never change, the
// cache giving the full pass's logits one row at a time, its memory, what happens when
// the window is full, and the time before and after. Read tutorials/09_kv_cache.md
// alongside; run with build/tutorials/09_kv_cache.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=09 V=<name>` (`make tutorials` runs them all), or a script of
// tutorials/try/:
// Try: ctx16 -DTRY_CTX16
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/incremental.h"
#include "gpt/io/clock.h"
#include "gpt/sample.h"
#include "tensor/kernels.h"
#include "tutorials/tutorial.h"

static const char PROMPT[] = "The cache";
#ifdef TRY_CTX16
enum { N_CTX = 16 };  // Try this: a window of 16, full after 7 generated tokens
#else
enum { N_CTX = 64 };  // the tiny preset's
#endif
// STEPS tokens generated in section 2 must fit the window with the prompt.
enum { N_PROMPT = sizeof PROMPT - 1, STEPS = N_CTX - N_PROMPT < 20 ? N_CTX - N_PROMPT - 1 : 20, TIMED_TOKENS = 56 };

// The `tiny` preset (4 blocks, width 128, 4 heads, n_ctx 64, bytes), untrained: the
// cache does not care what the weights are.
static Gpt *tiny_model(void) {
    GptConfig config = preset_find("tiny")->config;
    config.n_ctx = N_CTX;
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);
    return model;
}

static void earlier_rows_never_change(Gpt *model, const int *ids) {
    section("1. Causality: appending a token leaves the earlier rows alone");
    int vocab = model->config.vocab_size;
    Tensor *before = gpt_logits(model, ids, 1, N_PROMPT);
    Tensor *after = gpt_logits(model, ids, 1, N_PROMPT + 1);  // one token more
    printf("  logits of \"%s\" (%d rows), then of \"%s\" and one token more (%d rows)\n", PROMPT, N_PROMPT, PROMPT,
           N_PROMPT + 1);
    bool same = memcmp(before->data, after->data, sizeof(float) * (size_t)N_PROMPT * (size_t)vocab) == 0;
    claim(same, "the first rows of the longer pass are bit-for-bit those of the shorter one");
    tape_reset();
}

// Reads the prompt at once, then one token at a time, comparing every step's logits
// with the last row of the full pass over the same tokens.
static void one_row_per_token(Gpt *model, int *ids) {
    section("2. The cache: one new row per token, the same logits");
    int vocab = model->config.vocab_size;
    GptKVCache *cache = gpt_kv_cache_create(model);
    const float *cached = gpt_decode_step(model, cache, ids, N_PROMPT);  // the prompt in one pass
    double worst = 0.0;
    for (int at = N_PROMPT; at < N_PROMPT + STEPS; at++) {
        Tensor *full = gpt_logits(model, ids, 1, at);
        for (int j = 0; j < vocab; j++)
            worst = fmax(worst, fabs((double)cached[j] - full->data[(long)(at - 1) * vocab + j]));
        ids[at] = argmax(cached, vocab);  // greedy
        tape_reset();
        cached = gpt_decode_step(model, cache, ids + at, 1);  // the new token only
    }
    printf("  %d tokens generated; the cache holds %d positions, the tape %d nodes\n", STEPS,
           gpt_kv_cache_length(cache), the_tape.n_nodes);
    printf("  largest |cached logit − full-pass logit| over the %d steps: %g\n", STEPS, worst);
    claim(worst <= 1e-5, "at every step the cache gives the full pass's last row (within 1e-5)");
    claim(the_tape.n_nodes == 0, "reading with the cache records nothing on the tape");
    gpt_kv_cache_free(cache);
}

static void the_memory(Gpt *model) {
    section("3. Memory: 2 · layers · n_ctx · d floats");
    printf("  %-6s %6s %6s %5s %12s %10s\n", "preset", "layers", "n_ctx", "d", "floats", "MiB");
    for (int i = 0; i < N_PRESETS; i++) {
        const GptConfig *c = &PRESETS[i].config;
        long floats = 2L * c->n_layers * c->n_ctx * c->d_model;
        printf("  %-6s %6d %6d %5d %12ld %10.2f\n", PRESETS[i].name, c->n_layers, c->n_ctx, c->d_model, floats,
               floats * 4.0 / (1024 * 1024));
    }
    GptKVCache *cache = gpt_kv_cache_create(model);
    const GptConfig *c = &model->config;
    claim(gpt_kv_cache_bytes(cache) == sizeof(float) * 2 * (size_t)(c->n_layers * c->n_ctx * c->d_model),
          "the cache of this model holds exactly 2 · layers · n_ctx · d floats");
    gpt_kv_cache_free(cache);
}

static void the_window_slides(Gpt *model, const int *prompt) {
    section("4. When the window is full");
    int n_ctx = model->config.n_ctx;
    SampleOptions cached = {.n_tokens = n_ctx + 10, .temperature = 0.8f};
    SampleOptions full = cached;
    full.no_cache = true;
    Rng r1, r2;
    rng_seed(&r1, 3), rng_seed(&r2, 3);
    long n1, n2;
    int *a = generate(model, prompt, N_PROMPT, &cached, &r1, &n1);
    int *b = generate(model, prompt, N_PROMPT, &full, &r2, &n2);
    printf("  %ld tokens sampled (temperature 0.8, seed 3) with a window of n_ctx = %d\n", n1, n_ctx);
    claim(n1 == n2 && memcmp(a, b, sizeof(int) * (size_t)n1) == 0,
          "past n_ctx the cache (the window read again) and the full recompute sample the same tokens");
    free(a), free(b);
}

// The best of three runs: the machine may be busy, which only ever makes a run slower.
static double seconds_to_generate(Gpt *model, const int *prompt, bool no_cache) {
    double best = 1e30;
    for (int run = 0; run < 3; run++) {
        SampleOptions o = {.n_tokens = TIMED_TOKENS, .temperature = 1.0f, .no_cache = no_cache};
        Rng rng;
        rng_seed(&rng, 1);
        long n;
        double start = seconds_now();
        free(generate(model, prompt, N_PROMPT, &o, &rng, &n));
        best = fmin(best, seconds_now() - start);
    }
    return best;
}

static void before_and_after(Gpt *model, const int *prompt) {
    section("5. Before and after");
    double full = seconds_to_generate(model, prompt, true), cached = seconds_to_generate(model, prompt, false);
    printf("  %d tokens after a prompt of %d, %s:\n", TIMED_TOKENS, N_PROMPT,
           N_PROMPT + TIMED_TOKENS - 1 <= N_CTX ? "the window never full" : "the window full most of the time");
    printf("    full recompute (--no-cache): %7.2f ms per token\n", 1000.0 * full / TIMED_TOKENS);
    printf("    key/value cache:             %7.2f ms per token, %.1f times faster\n", 1000.0 * cached / TIMED_TOKENS,
           full / cached);
#ifdef TRY_CTX16
    // Past the window the cache reads it again for every token (section 4): timed, not claimed.
    printf("  with a window of %d, %d of the %d tokens come after the window is full\n", N_CTX,
           TIMED_TOKENS + N_PROMPT - N_CTX, TIMED_TOKENS);
#else
    claim(full > 2.0 * cached, "the cache generates more than twice as fast, even on a model this small");
#endif
}

int main(void) {
    Gpt *model = tiny_model();
    int ids[N_PROMPT + STEPS + 1];
    for (int i = 0; i < N_PROMPT; i++) ids[i] = (unsigned char)PROMPT[i];  // bytes are their own ids
    ids[N_PROMPT] = '!';
    earlier_rows_never_change(model, ids);
    one_row_per_token(model, ids);
    the_memory(model);
    the_window_slides(model, ids);
    before_and_after(model, ids);
    gpt_free(model);
    tape_free();
    return tutorial_end();
}
