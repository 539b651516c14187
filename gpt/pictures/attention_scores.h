// What an attention head does, measured: the weights of every head on a text, and
// three numbers per head that say how far it is from spreading its attention evenly
// and whether it is one of the heads that interpretability studies name
// (Olsson et al., 2022, "In-context learning and induction heads"):
//
//   distance from uniform  the mean over the rows i >= 1 of KL(w_i || uniform over keys 0..i),
//                          in nats: 0 for a head that spreads evenly, log(i + 1) for a row
//                          that puts all its weight on one key
//   previous token         the mean weight of row i on key i - 1: 1 for a head that
//                          always looks at the token just before
//   induction              the mean weight of row i on the key just after the last earlier
//                          occurrence of token i ("A B ... A" looks at B, which comes next
//                          last time), over the rows whose token occurred before
//
// Row 0 sees only itself, so it is left out of every mean.
#ifndef GPT1_ATTENTION_SCORES_H
#define GPT1_ATTENTION_SCORES_H

#include "gpt/model.h"

typedef struct HeadScores {
    double kl_from_uniform;      // nats
    double kl_most;              // the largest it can be on this text: every row on one key
    double previous_token;       // in [0, 1]
    double induction;            // in [0, 1]; NAN when no token of the text occurred before
} HeadScores;

// The scores of one head's weights [n, n] (row-major, causal) on the tokens ids[0..n).
HeadScores head_scores(const float *weights, const int *ids, int n);

// The attention weights of every head when the model reads ids[0..n) (n <= n_ctx), in
// evaluation mode and without recording a graph: out [n_layers, n_heads, n, n].
void attention_weights_all(Gpt *model, const int *ids, int n, float *out);
// The same for head `head` of block `layer` only: out [n, n].
void attention_weights(Gpt *model, const int *ids, int n, int layer, int head, float *out);

#endif
