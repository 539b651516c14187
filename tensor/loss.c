#include <math.h>

#include "tensor/kernels.h"

// loss = (1/N) Σ_rows −log softmax(logits)[target], N = rows with a target >= 0.
// probs (the softmax) is saved: the gradient is (probs − onehot(target)) / N.
long cross_entropy_forward(float *loss, float *probs, const float *logits, const int *targets, long rows,
                           int v) {
    softmax_forward(probs, logits, rows, v);
    double total = 0.0;
    long counted = 0;
    for (long r = 0; r < rows; r++) {
        if (targets[r] < 0) continue;
        // −log p computed from the logits (log-sum-exp) stays finite when p underflows.
        const float *lr = logits + r * v;
        float max = -INFINITY;
        for (int j = 0; j < v; j++) max = lr[j] > max ? lr[j] : max;
        double sum = 0.0;
        for (int j = 0; j < v; j++) sum += exp((double)(lr[j] - max));
        total += (double)max + log(sum) - (double)lr[targets[r]];
        counted++;
    }
    *loss = counted > 0 ? (float)(total / (double)counted) : 0.0f;
    return counted;
}

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

void squared_error_backward(float *dx, float dloss, const float *x, const float *y, long n) {
    for (long i = 0; i < n; i++) dx[i] += dloss * 2.0f * (x[i] - y[i]) / (float)n;
}
