#include <math.h>

#include "tensor/kernels.h"
#include "tensor/parallel.h"

// One row: probs = softmax(logits), and log Σ_j exp(logits_j) as the return value.
// The exponentials are computed once and serve both; their sum is kept in double so
// that a 40,000-token vocabulary adds no rounding worth speaking of.
static double softmax_row(float *probs, const float *logits, int v) {
    float max = -INFINITY;
    for (int j = 0; j < v; j++) max = logits[j] > max ? logits[j] : max;
    double sum = 0.0;
    for (int j = 0; j < v; j++) {
        probs[j] = expf(logits[j] - max);
        sum += probs[j];
    }
    float inv = (float)(1.0 / sum);
    for (int j = 0; j < v; j++) probs[j] *= inv;
    return (double)max + log(sum);
}

// The rows of logits are shared out among the threads (tensor/parallel.h); the loss is
// summed over them in order on the calling thread, in blocks of LOSS_BLOCK rows, so that
// it is the same sum with any number of threads.
enum { LOSS_BLOCK = 256 };

typedef struct LossJob {
    float *probs;  // dlogits in the backward
    const float *logits, *probs_in;
    const int *targets;
    double *row_loss;  // forward: log Σ_j exp(logits_j) − logits[target] of each row of the block
    float g;           // backward: dloss / counted
    int v;
} LossJob;

static void cross_entropy_forward_part(void *context, long first, long end) {
    const LossJob *p = context;
    for (long r = first; r < end; r++) {
        if (p->targets[r] < 0) continue;  // its probs are never read: the backward skips it too
        double log_sum = softmax_row(p->probs + r * p->v, p->logits + r * p->v, p->v);
        p->row_loss[r] = log_sum - (double)p->logits[r * p->v + p->targets[r]];
    }
}

// loss = (1/N) Σ_rows −log softmax(logits)[target] = (1/N) Σ (log Σ_j exp(logits_j) − logits[target]),
// N = rows with a target >= 0. Computed from the log-sum-exp, it stays finite when the
// probability underflows. probs (the softmax) is saved: the gradient is (probs − onehot(target)) / N.
long cross_entropy_forward(float *loss, float *probs, const float *logits, const int *targets, long rows,
                           int v) {
    double total = 0.0, row_loss[LOSS_BLOCK];
    long counted = 0;
    for (long start = 0; start < rows; start += LOSS_BLOCK) {
        long n = rows - start < LOSS_BLOCK ? rows - start : LOSS_BLOCK;
        LossJob job = {.probs = probs + start * v, .logits = logits + start * v, .targets = targets + start,
                       .row_loss = row_loss, .v = v};
        parallel_for(n, 14.0 * v, cross_entropy_forward_part, &job);
        for (long r = 0; r < n; r++)
            if (targets[start + r] >= 0) {
                total += row_loss[r];
                counted++;
            }
    }
    *loss = counted > 0 ? (float)(total / (double)counted) : 0.0f;
    return counted;
}

// forward: loss = (1/N) Σ_r (log Σ_j exp(logits[r,j]) − logits[r, target_r]) over the N rows counted,
// so dlogits[r,j] += dloss·(probs[r,j] − [j = target_r]) / N:
//   probs[r,j]         through the log-sum-exp, whose gradient is the softmax (saved by the forward);
//   −[j = target_r]    through −logits[r, target_r]: at the target only.
// A row whose target is ignored gets nothing.
static void cross_entropy_backward_rows(float *dlogits, float g, const float *probs, const int *targets, long rows,
                                        int v) {
    for (long r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;
        for (int j = 0; j < v; j++) dlogits[r * v + j] += g * probs[r * v + j];
        dlogits[r * v + targets[r]] -= g;
    }
}

static void cross_entropy_backward_part(void *context, long first, long end) {
    const LossJob *p = context;
    long at = first * p->v;
    cross_entropy_backward_rows(p->probs + at, p->g, p->probs_in + at, p->targets + first, end - first, p->v);
}

void cross_entropy_backward(float *dlogits, float dloss, const float *probs, const int *targets, long rows,
                            int v, long counted) {
    if (counted == 0) return;
    LossJob job = {.probs = dlogits, .probs_in = probs, .targets = targets, .g = dloss / (float)counted, .v = v};
    parallel_for(rows, 2.0 * v, cross_entropy_backward_part, &job);
}

float squared_error_forward(const float *x, const float *y, long n) {
    double total = 0.0;
    for (long i = 0; i < n; i++) total += ((double)x[i] - y[i]) * ((double)x[i] - y[i]);
    return (float)(total / (double)n);
}

// forward: loss = (1/n) Σ_i (x[i] − y[i])², so dx[i] += dloss·2·(x[i] − y[i]) / n
void squared_error_backward(float *dx, float dloss, const float *x, const float *y, long n) {
    for (long i = 0; i < n; i++) dx[i] += dloss * 2.0f * (x[i] - y[i]) / (float)n;
}
