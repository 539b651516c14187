// Exercise 02: the backward pass of layer normalisation.
// Replaces: tensor/layer_norm.c layer_norm_backward
//
// Grade your answer with `make exercise N=02`; docs/exercises.md explains the rules.
// The solution is the library's own code: do not look at tensor/layer_norm.c until you pass.
//
// The forward pass computed, for each of the `rows` rows of `cols` values,
//     mean = Σ_j x_j / cols,   var = Σ_j (x_j − mean)² / cols,   rstd = 1 / √(var + ε)
//     x̂_j = (x_j − mean)·rstd
//     y_j = gain_j·x̂_j + bias_j
// and saved mean[r] and rstd[r] of every row r. Now dout holds dL/dy. ADD to
//     dx      dL/dx, [rows, cols]
//     dgain   dL/dgain, [cols]: summed over the rows
//     dbias   dL/dbias, [cols]: summed over the rows
// Add, do not assign: each may already hold a gradient. Any of the three may be NULL
// when that input needs no gradient: then skip it.
//
// Hints: dbias and dgain are one line each. For dx, every x_j moves the mean and the
// variance, so every x̂_k depends on every x_j. Call g_j = dout_j·gain_j. The result
// needs two sums per row, the mean of g and the mean of g·x̂, and is then one line per
// element. Derive it on paper first: the grader's finite differences will tell you
// which element is wrong and by how much.
#include <stddef.h>

#include "tensor/kernels.h"

void layer_norm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
                         const float *mean, const float *rstd, const float *gain, long rows, int cols) {
    // TODO: your code here. Delete the lines below when you write it.
    (void)dx, (void)dgain, (void)dbias, (void)dout, (void)x, (void)mean, (void)rstd, (void)gain;
    (void)rows, (void)cols;
}
