// Exercise 03: the causal mask, forward and backward.
// Replaces: tensor/reshape.c causal_mask_forward causal_mask_backward
//
// Grade your answer with `make exercise N=03`; docs/exercises.md explains the rules.
// The solution is the library's own code: do not look at tensor/reshape.c until you pass.
//
// x holds `batches` score matrices of t × t, one after the other, row-major: score
// (i, j) of matrix b is x[(b·t + i)·t + j], how much query position i attends to key
// position j. Position i may look at positions j <= i only.
//
// causal_mask_forward: write out = x, except that every entry above the diagonal
// (j > i) becomes -INFINITY (from <math.h>), which the softmax turns into exactly 0.
//
// causal_mask_backward: dout holds dL/d(out). ADD dL/dx to dx: a score that was kept
// passes its gradient through unchanged; a score replaced by -inf had no influence on
// anything, so its gradient is 0 (add nothing). Add, do not assign.
#include <math.h>

#include "tensor/kernels.h"

void causal_mask_forward(float *out, const float *x, long batches, int t) {
    // TODO: your code here. Delete the line below when you write it.
    (void)out, (void)x, (void)batches, (void)t;
}

void causal_mask_backward(float *dx, const float *dout, long batches, int t) {
    // TODO: your code here. Delete the line below when you write it.
    (void)dx, (void)dout, (void)batches, (void)t;
}
