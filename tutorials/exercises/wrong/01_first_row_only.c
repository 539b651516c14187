// Exercise 01, a known wrong solution: it computes the first row only, ignoring `rows`.
// Replaces: tensor/softmax.c softmax_backward
#include "tensor/kernels.h"

void softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols) {
    (void)rows;
    float dot = 0.0f;
    for (int j = 0; j < cols; j++) dot += dout[j] * out[j];
    for (int i = 0; i < cols; i++) dx[i] += out[i] * (dout[i] - dot);
}
