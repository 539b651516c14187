// Exercise 03, a known wrong solution: it masks j >= i, so a position may not even read itself (row 0 is all -inf).
// Replaces: tensor/reshape.c causal_mask_forward causal_mask_backward
#include <math.h>

#include "tensor/kernels.h"

void causal_mask_forward(float *out, const float *x, long batches, int t) {
    for (long b = 0; b < batches; b++)
        for (int i = 0; i < t; i++)
            for (int j = 0; j < t; j++) {
                long at = (b * t + i) * t + j;
                out[at] = j >= i ? -INFINITY : x[at];
            }
}

void causal_mask_backward(float *dx, const float *dout, long batches, int t) {
    for (long b = 0; b < batches; b++)
        for (int i = 0; i < t; i++)
            for (int j = 0; j < i; j++) dx[(b * t + i) * t + j] += dout[(b * t + i) * t + j];
}
