#include "tensor/kernels.h"

float sum_forward(const float *x, long n) {
    double total = 0.0;
    for (long i = 0; i < n; i++) total += x[i];
    return (float)total;
}

// forward: out = Σ_i x[i], so dx[i] += dout for every i
void sum_backward(float *dx, float dout, long n) {
    for (long i = 0; i < n; i++) dx[i] += dout;
}

int argmax(const float *x, int n) {
    int best = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}
