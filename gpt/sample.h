// Generating text: the model reads the last n_ctx tokens and the next token is drawn
// from P(u) = softmax(logits / temperature), restricted to the k most likely tokens.
// By default the model reads each new token once, with a key/value cache
// (gpt/incremental.h); no_cache recomputes the whole window for every token instead.
// Both give the same tokens.
#ifndef GPT1_SAMPLE_H
#define GPT1_SAMPLE_H

#include <stdbool.h>

#include "gpt/model.h"

enum { SAMPLE_MAX_TOKENS = 1000000 };  // the most tokens one sample may have

typedef struct SampleOptions {
    int n_tokens;       // how many tokens to generate
    float temperature;  // 0: greedy (always the most likely token)
    int top_k;          // 0: every token; k: only the k most likely
    int n_allowed;      // 0: the whole vocabulary; n: only ids below n (text tokens, not task tokens)
    bool no_cache;      // true: gpt_logits over the whole window for every token (slow; for comparison)
} SampleOptions;

// Picks the next token from one row of logits. Ties in greedy mode go to the lowest id.
int choose_next_token(const float *logits, int vocab, const SampleOptions *options, Rng *rng);
// Returns a new array (free it) of the prompt followed by n_tokens generated ids. An
// empty prompt is not allowed: pass at least one token (e.g. a newline).
int *generate(Gpt *model, const int *prompt, long n_prompt, const SampleOptions *options, Rng *rng, long *n_out);

#endif
