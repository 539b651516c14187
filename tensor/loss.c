#include <math.h>

#include "tensor/kernels.h"

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

// loss = (1/N) Σ_rows −log softmax(logits)[target] = (1/N) Σ (log Σ_j exp(logits_j) − logits[target]),
// N = rows with a target >= 0. Computed from the log-sum-exp, it stays finite when the
// probability underflows. probs (the softmax) is saved: the gradient is (probs − onehot(target)) / N.
long cross_entropy_forward(float *loss, float *probs, const float *logits, const int *targets, long rows,
                           int v) {
    double total = 0.0;
    long counted = 0;
    for (long r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;  // its probs are never read: the backward skips it too
        double log_sum = softmax_row(probs + r * v, logits + r * v, v);
        total += log_sum - (double)logits[r * v + targets[r]];
        counted++;
    }
    *loss = counted > 0 ? (float)(total / (double)counted) : 0.0f;
    return counted;
}

// forward: loss = (1/N) Σ_r (log Σ_j exp(logits[r,j]) − logits[r, target_r]) over the N rows counted,
// so dlogits[r,j] += dloss·(probs[r,j] − [j = target_r]) / N:
//   probs[r,j]         through the log-sum-exp, whose gradient is the softmax (saved by the forward);
//   −[j = target_r]    through −logits[r, target_r]: at the target only.
// A row whose target is ignored gets nothing.
void cross_entropy_backward(float *dlogits, float dloss, const float *probs, const int *targets, long rows,
                            int v, long counted) {
    if (counted == 0) return;
    float g = dloss / (float)counted;
    for (long r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;
        for (int j = 0; j < v; j++) dlogits[r * v + j] += g * probs[r * v + j];
        dlogits[r * v + targets[r]] -= g;
    }
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
