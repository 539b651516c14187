#include "gpt/pictures/attention_scores.h"

#include <math.h>
#include <string.h>

#include "autograd/tape.h"

// KL(w || u) = Σ_j w_j log(w_j / u_j) with u_j = 1/(i + 1) on the keys j <= i.
static double kl_from_uniform_row(const float *row, int i) {
    double kl = 0.0;
    for (int j = 0; j <= i; j++)
        if (row[j] > 0.0f) kl += row[j] * log((double)row[j] * (i + 1));
    return kl;
}

// The key that an induction head attends to from query i: just after the last
// earlier occurrence of token ids[i], or -1 when the token has not occurred before.
static int induction_key(const int *ids, int i) {
    for (int j = i - 1; j >= 0; j--)
        if (ids[j] == ids[i]) return j + 1;
    return -1;
}

HeadScores head_scores(const float *weights, const int *ids, int n) {
    HeadScores s = {0};
    double induction = 0.0;
    int rows = 0, induction_rows = 0;
    for (int i = 1; i < n; i++, rows++) {
        const float *row = weights + (long)i * n;
        s.kl_from_uniform += kl_from_uniform_row(row, i);
        s.kl_most += log((double)(i + 1));
        s.previous_token += row[i - 1];
        int key = induction_key(ids, i);
        if (key >= 0) induction += row[key], induction_rows++;
    }
    if (rows > 0) s.kl_from_uniform = fmax(0.0, s.kl_from_uniform / rows), s.kl_most /= rows, s.previous_token /= rows;
    s.induction = induction_rows > 0 ? induction / induction_rows : NAN;
    return s;
}

void attention_weights_all(Gpt *model, const int *ids, int n, float *out) {
    EvaluationMode saved = gpt_begin_evaluation(model);  // the weights the model uses, not a dropped-out sample
    TapeMark mark = tape_mark();
    gpt_hidden_states(model, ids, 1, n);
    size_t per_block = (size_t)model->config.n_heads * (size_t)n * (size_t)n;
    for (int layer = 0; layer < model->config.n_layers; layer++)  // each [1, heads, n, n]
        memcpy(out + layer * per_block, model->blocks[layer].attn.last_weights->data, sizeof(float) * per_block);
    tape_rewind(mark);
    gpt_end_evaluation(model, saved);
}

void attention_weights(Gpt *model, const int *ids, int n, int layer, int head, float *out) {
    EvaluationMode saved = gpt_begin_evaluation(model);
    TapeMark mark = tape_mark();
    gpt_hidden_states(model, ids, 1, n);
    const Tensor *weights = model->blocks[layer].attn.last_weights;  // [1, heads, n, n]
    memcpy(out, weights->data + (long)head * n * n, sizeof(float) * (size_t)n * (size_t)n);
    tape_rewind(mark);
    gpt_end_evaluation(model, saved);
}
