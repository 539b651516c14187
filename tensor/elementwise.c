#include <math.h>

#include <stddef.h>

#include "tensor/kernels.h"

void add_forward(float *out, const float *a, const float *b, long n, long b_size) {
    for (long start = 0; start < n; start += b_size)
        for (long j = 0; j < b_size; j++) out[start + j] = a[start + j] + b[j];
}

// forward: out[i] = a[i] + b[i % b_size], so da[i] += dout[i] and db[j] += Σ_{i % b_size = j} dout[i]:
// a bias collects the gradient of every row it was added to
void add_backward(float *da, float *db, const float *dout, long n, long b_size) {
    if (da != NULL)
        for (long i = 0; i < n; i++) da[i] += dout[i];
    if (db != NULL)
        for (long start = 0; start < n; start += b_size)
            for (long j = 0; j < b_size; j++) db[j] += dout[start + j];
}

void mul_forward(float *out, const float *a, const float *b, long n) {
    for (long i = 0; i < n; i++) out[i] = a[i] * b[i];
}

// forward: out[i] = a[i]·b[i], so da[i] += dout[i]·b[i] and db[i] += dout[i]·a[i]
void mul_backward(float *da, float *db, const float *dout, const float *a, const float *b, long n) {
    if (da != NULL)
        for (long i = 0; i < n; i++) da[i] += dout[i] * b[i];
    if (db != NULL)
        for (long i = 0; i < n; i++) db[i] += dout[i] * a[i];
}

void scale_forward(float *out, const float *x, float s, long n) {
    for (long i = 0; i < n; i++) out[i] = s * x[i];
}

// forward: out[i] = s·x[i], so dx[i] += s·dout[i]
void scale_backward(float *dx, const float *dout, float s, long n) {
    for (long i = 0; i < n; i++) dx[i] += s * dout[i];
}

void relu_forward(float *out, const float *x, long n) {
    for (long i = 0; i < n; i++) out[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

// forward: out[i] = max(0, x[i]), so dx[i] += dout[i] where x[i] > 0 and nothing elsewhere
// (at x = 0 too: the subgradient 0 is chosen)
void relu_backward(float *dx, const float *dout, const float *x, long n) {
    for (long i = 0; i < n; i++) dx[i] += x[i] > 0.0f ? dout[i] : 0.0f;
}

#define GELU_SCALE 0.7978845608028654f  // sqrt(2 / pi)
#define GELU_CUBIC 0.044715f

// Eq: GELU(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
void gelu_forward(float *out, const float *x, long n) {
    for (long i = 0; i < n; i++) {
        float u = GELU_SCALE * (x[i] + GELU_CUBIC * x[i] * x[i] * x[i]);
        out[i] = 0.5f * x[i] * (1.0f + tanhf(u));
    }
}

// forward: out[i] = 0.5·x·(1 + tanh u), u = √(2/π)·(x + 0.044715·x³) (x = x[i]), so
//   dx[i] += dout[i]·(0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·du/dx),  du/dx = √(2/π)·(1 + 3·0.044715·x²)
// (the product rule: the first term differentiates x, the second tanh u)
void gelu_backward(float *dx, const float *dout, const float *x, long n) {
    for (long i = 0; i < n; i++) {
        float u = GELU_SCALE * (x[i] + GELU_CUBIC * x[i] * x[i] * x[i]);
        float th = tanhf(u);
        float du = GELU_SCALE * (1.0f + 3.0f * GELU_CUBIC * x[i] * x[i]);
        dx[i] += dout[i] * (0.5f * (1.0f + th) + 0.5f * x[i] * (1.0f - th * th) * du);
    }
}
