#include "gpt/sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/incremental.h"
#include "tensor/kernels.h"

// The k-th largest logit: tokens below it are left out (ties at the threshold stay in).
static float top_k_threshold(const float *logits, int n, int k) {
    float *sorted = malloc(sizeof(float) * (size_t)n);
    if (sorted == NULL) {
        fprintf(stderr, "choose_next_token: out of memory for %d logits\n", n);
        abort();
    }
    memcpy(sorted, logits, sizeof(float) * (size_t)n);
    for (int i = 0; i < k; i++) {  // partial selection sort: k is small
        int best = i;
        for (int j = i + 1; j < n; j++)
            if (sorted[j] > sorted[best]) best = j;
        float t = sorted[i];
        sorted[i] = sorted[best];
        sorted[best] = t;
    }
    float threshold = sorted[k - 1];
    free(sorted);
    return threshold;
}

int choose_next_token(const float *logits, int vocab, const SampleOptions *o, Rng *rng) {
    int n = o->n_allowed > 0 && o->n_allowed < vocab ? o->n_allowed : vocab;
    if (o->temperature <= 0.0f || o->top_k == 1) return argmax(logits, n);
    float threshold = o->top_k > 0 && o->top_k < n ? top_k_threshold(logits, n, o->top_k) : -INFINITY;
    float max = logits[argmax(logits, n)];
    double total = 0.0;
    for (int i = 0; i < n; i++)
        if (logits[i] >= threshold) total += exp((double)(logits[i] - max) / o->temperature);
    double r = rng_uniform(rng) * total;  // walk the cumulative distribution to r
    int last = 0;
    for (int i = 0; i < n; i++) {
        if (logits[i] < threshold) continue;
        r -= exp((double)(logits[i] - max) / o->temperature);
        last = i;
        if (r < 0.0) return i;
    }
    return last;
}

// The full recompute: the whole window through gpt_logits for every new token, of which
// only the last row is used. Simple, and what the cache must agree with.
static void generate_recomputing(Gpt *model, int *ids, long n_prompt, long n, const SampleOptions *o, Rng *rng) {
    EvaluationMode saved = gpt_begin_evaluation(model);
    int vocab = model->config.vocab_size;
    for (long at = n_prompt; at < n; at++) {
        long start = at > model->config.n_ctx ? at - model->config.n_ctx : 0;  // the last n_ctx tokens
        int seq = (int)(at - start);
        Tensor *logits = gpt_logits(model, ids + start, 1, seq);
        ids[at] = choose_next_token(logits->data + (long)(seq - 1) * vocab, vocab, o, rng);
        tape_reset();
    }
    gpt_end_evaluation(model, saved);
}

// With the key/value cache: each token is read once while the window does not move.
// Past n_ctx tokens the window slides by one token for every new token, every position
// in it changes, and gpt_next_token_logits reads the whole window again (in one pass of
// n_ctx rows, with the output layer for the last row only), so the tokens stay those of
// the full recompute.
static void generate_with_cache(Gpt *model, int *ids, long n_prompt, long n, const SampleOptions *o, Rng *rng) {
    GptKVCache *cache = gpt_kv_cache_create(model);
    for (long at = n_prompt; at < n; at++)
        ids[at] = choose_next_token(gpt_next_token_logits(model, cache, ids, at), model->config.vocab_size, o, rng);
    gpt_kv_cache_free(cache);
}

int *generate(Gpt *model, const int *prompt, long n_prompt, const SampleOptions *o, Rng *rng, long *n_out) {
    long n = n_prompt + o->n_tokens;
    int *ids = malloc(sizeof(int) * (size_t)n);
    if (ids == NULL) {
        fprintf(stderr, "generate: out of memory for %ld tokens\n", n);
        abort();
    }
    memcpy(ids, prompt, sizeof(int) * (size_t)n_prompt);
    if (o->no_cache)
        generate_recomputing(model, ids, n_prompt, n, o, rng);
    else
        generate_with_cache(model, ids, n_prompt, n, o, rng);
    *n_out = n;
    return ids;
}
