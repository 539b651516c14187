// Exercise 01, a known wrong solution: it assigns dx (=) instead of adding to it (+=).
// Replaces: tensor/softmax.c softmax_backward
#include "tensor/kernels.h"

void softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *y = out + r * cols, *dy = dout + r * cols;
        float dot = 0.0f;
        for (int j = 0; j < cols; j++) dot += dy[j] * y[j];
        for (int i = 0; i < cols; i++) dx[r * cols + i] = y[i] * (dy[i] - dot);
    }
}
