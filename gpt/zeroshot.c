#include "gpt/zeroshot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"

// log softmax(row)[target] in double precision.
static double log_softmax_at(const float *row, int vocab, int target) {
    float max = row[0];
    for (int j = 1; j < vocab; j++) max = row[j] > max ? row[j] : max;
    double sum = 0.0;
    for (int j = 0; j < vocab; j++) sum += exp((double)row[j] - max);
    return (double)row[target] - max - log(sum);
}

// Eq: log P(c | x) = Σ_i log P(c_i | x, c_1, ..., c_{i−1});  the model reads x ++ c
double continuation_log_prob(Gpt *model, const int *context, int n_context, const int *continuation,
                             int n_continuation, int *n_scored) {
    int n_ctx = model->config.n_ctx, vocab = model->config.vocab_size;
    if (n_continuation > n_ctx - 1) n_continuation = n_ctx - 1;
    int keep = n_context < n_ctx + 1 - n_continuation ? n_context : n_ctx + 1 - n_continuation;
    int total = keep + n_continuation;  // the sequence is context[n_context - keep ..] ++ continuation
    *n_scored = 0;
    if (total < 2 || n_continuation == 0) return 0.0;
    int *sequence = malloc(sizeof(int) * (size_t)total);
    if (sequence == NULL) {
        fprintf(stderr, "continuation_log_prob: out of memory\n");
        abort();
    }
    if (keep > 0) memcpy(sequence, context + n_context - keep, sizeof(int) * (size_t)keep);
    memcpy(sequence + keep, continuation, sizeof(int) * (size_t)n_continuation);
    EvaluationMode saved = gpt_begin_evaluation(model);
    Tensor *logits = gpt_logits(model, sequence, 1, total - 1);  // row r predicts sequence[r + 1]
    double sum = 0.0;
    for (int r = keep > 0 ? keep - 1 : 0; r < total - 1; r++, (*n_scored)++)
        sum += log_softmax_at(logits->data + (long)r * vocab, vocab, sequence[r + 1]);
    tape_reset();
    gpt_end_evaluation(model, saved);
    free(sequence);
    return sum;
}

// Eq: score(c | x) = (1/|c|)·Σ_i log P(c_i | x, c_<i): the average log-probability per token
double mean_log_prob(Gpt *model, const int *context, int n_context, const int *continuation, int n_continuation) {
    int n;
    double sum = continuation_log_prob(model, context, n_context, continuation, n_continuation, &n);
    return n > 0 ? sum / n : -INFINITY;
}

// Eq: ŷ = positive if P(positive | x very) > P(negative | x very), else negative
int sentiment_guess(Gpt *model, const int *text_very, int n, const int *positive, int n_positive,
                    const int *negative, int n_negative) {
    int scored;
    double p = continuation_log_prob(model, text_very, n, positive, n_positive, &scored);
    double q = continuation_log_prob(model, text_very, n, negative, n_negative, &scored);
    return p > q ? 1 : 0;
}
