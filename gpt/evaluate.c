#include "gpt/evaluate.h"

#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"

// Scores `count` windows of seq + 1 tokens that follow each other from `first`,
// batched; returns the summed loss.
static double score_windows(Gpt *model, const int *first, long count, int seq, int batch) {
    int *inputs = malloc(sizeof(int) * (size_t)batch * (size_t)seq);
    int *targets = malloc(sizeof(int) * (size_t)batch * (size_t)seq);
    double total = 0.0;
    for (long done = 0; done < count; done += batch) {
        int b = count - done < batch ? (int)(count - done) : batch;
        for (int i = 0; i < b; i++) {
            const int *window = first + (done + i) * (seq + 1);
            memcpy(inputs + (long)i * seq, window, sizeof(int) * (size_t)seq);
            memcpy(targets + (long)i * seq, window + 1, sizeof(int) * (size_t)seq);
        }
        Tensor *loss = lm_loss(gpt_logits(model, inputs, b, seq), targets);
        total += (double)loss->data[0] * b * seq;
        tape_reset();
    }
    free(inputs);
    free(targets);
    return total;
}

double evaluate_lm_loss(Gpt *model, const TokenSequence *data, int batch, long max_windows, long *n_scored) {
    int n_ctx = model->config.n_ctx;
    long full = data->n / (n_ctx + 1);
    long tail = data->n - full * (n_ctx + 1);
    if (max_windows > 0 && full >= max_windows) full = max_windows, tail = 0;
    EvaluationMode saved = gpt_begin_evaluation(model);
    double total = score_windows(model, data->ids, full, n_ctx, batch);
    long scored = full * n_ctx;
    if (tail >= 2) {
        total += score_windows(model, data->ids + full * (n_ctx + 1), 1, (int)tail - 1, 1);
        scored += tail - 1;
    }
    gpt_end_evaluation(model, saved);
    if (n_scored != NULL) *n_scored = scored;
    return scored > 0 ? total / (double)scored : 0.0;
}
