#include "gpt/evaluate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"

// Scores `count` windows of seq + 1 tokens that follow each other from `first`, in
// batches of at most `batch` windows; returns the summed loss. The buffers hold the
// windows there are, not `batch` of them: a huge --batch costs nothing.
static double score_windows(Gpt *model, const int *first, long count, int seq, int batch) {
    if (count <= 0) return 0.0;
    int most = count < batch ? (int)count : batch;
    int *inputs = malloc(sizeof(int) * (size_t)most * (size_t)seq);
    int *targets = malloc(sizeof(int) * (size_t)most * (size_t)seq);
    if (inputs == NULL || targets == NULL) {
        fprintf(stderr, "evaluate: out of memory for %d windows of %d tokens\n", most, seq);
        abort();
    }
    double total = 0.0;
    for (long done = 0; done < count; done += most) {
        int b = count - done < most ? (int)(count - done) : most;
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

long evaluation_windows(long n_tokens, int n_ctx) {
    long full = n_tokens / (n_ctx + 1);
    return full + (n_tokens - full * (n_ctx + 1) >= 2);
}
