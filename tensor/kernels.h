// Forward and backward kernels: plain loops over float arrays, no gradients
// bookkeeping, no allocation. Arguments follow one order: outputs first, then
// inputs, then sizes. Every backward kernel ACCUMULATES (+=) into the gradients it
// writes, so a tensor used twice receives both contributions and zeroing gradients
// is a single memset. The matrix products live in matmul.h.
#ifndef GPT1_KERNELS_H
#define GPT1_KERNELS_H

#include <stdint.h>

#include "tensor/rng.h"

// elementwise.c -------------------------------------------------------------
// out[i] = a[i] + b[i % b_size]: b repeats along a (a bias over rows, or equal sizes).
void add_forward(float *out, const float *a, const float *b, long n, long b_size);
void add_backward(float *da, float *db, const float *dout, long n, long b_size);
void mul_forward(float *out, const float *a, const float *b, long n);
void mul_backward(float *da, float *db, const float *dout, const float *a, const float *b, long n);
void scale_forward(float *out, const float *x, float s, long n);
void scale_backward(float *dx, const float *dout, float s, long n);
void relu_forward(float *out, const float *x, long n);
void relu_backward(float *dx, const float *dout, const float *x, long n);
// GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
void gelu_forward(float *out, const float *x, long n);
void gelu_backward(float *dx, const float *dout, const float *x, long n);
// x[i] -= s·dx[i] (the SGD update)
void subtract_scaled(float *x, const float *dx, float s, long n);

// softmax.c: over the last dimension of [rows, cols] --------------------------
void softmax_forward(float *out, const float *x, long rows, int cols);
void softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols);
void log_softmax_forward(float *out, const float *x, long rows, int cols);
void log_softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols);

// layernorm.c: LN over the last dimension, saving each row's mean and 1/std --------
#define LAYER_NORM_EPS 1e-5f
void layernorm_forward(float *out, float *mean, float *rstd, const float *x, const float *gain,
                       const float *bias, long rows, int cols);
void layernorm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
                        const float *mean, const float *rstd, const float *gain, long rows, int cols);

// gather.c: out[i] = table[ids[i]], the embedding lookup; backward scatter-adds --------
void gather_rows_forward(float *out, const float *table, const int *ids, long n, int cols);
void gather_rows_backward(float *dtable, const float *dout, const int *ids, long n, int cols);

// reshape.c: moving data between layouts ----------------------------------------
// causal mask on [batches, t, t]: entries above the diagonal (future) become -inf.
void causal_mask_forward(float *out, const float *x, long batches, int t);
void causal_mask_backward(float *dx, const float *dout, long batches, int t);
// [b, t, heads·hd] <-> [b, heads, t, hd]
void split_heads_forward(float *out, const float *x, int b, int t, int heads, int hd);
void split_heads_backward(float *dx, const float *dout, int b, int t, int heads, int hd);
void merge_heads_forward(float *out, const float *x, int b, int t, int heads, int hd);
void merge_heads_backward(float *dx, const float *dout, int b, int t, int heads, int hd);
// [batches, m, n] -> [batches, n, m]
void transpose_forward(float *out, const float *x, long batches, int m, int n);
void transpose_backward(float *dx, const float *dout, long batches, int m, int n);
// out[r, :] = x[r, start : start + count] for x of shape [rows, cols]
void columns_forward(float *out, const float *x, long rows, int cols, int start, int count);
void columns_backward(float *dx, const float *dout, long rows, int cols, int start, int count);
// out[r, :] = [a[r, :], b[r, :]]
void concat_forward(float *out, const float *a, const float *b, long rows, int a_cols, int b_cols);
void concat_backward(float *da, float *db, const float *dout, long rows, int a_cols, int b_cols);

// reduce.c ------------------------------------------------------------------
float sum_forward(const float *x, long n);  // summed in double
// Σ x[i]² in double, in blocks of 8192 values added in order (the same with any
// number of threads): the squared norm of the gradients, for clipping.
double sum_of_squares(const float *x, long n);
void sum_backward(float *dx, float dout, long n);
int argmax(const float *x, int n);  // the index of the largest value (the first, on a tie)

// loss.c: mean cross-entropy of logits [rows, v] against integer targets ----------
// Rows whose target is negative (CROSS_ENTROPY_IGNORE) count for nothing: not in
// the loss, not in the mean, no gradient. Returns the number of rows counted.
#define CROSS_ENTROPY_IGNORE (-1)
long cross_entropy_forward(float *loss, float *probs, const float *logits, const int *targets, long rows,
                           int v);
void cross_entropy_backward(float *dlogits, float dloss, const float *probs, const int *targets, long rows,
                            int v, long counted);
// squared error, for the graded-similarity regression head: mean of (x - y)^2
float squared_error_forward(const float *x, const float *y, long n);
void squared_error_backward(float *dx, float dloss, const float *x, const float *y, long n);

// dropout.c: mask[i] = 0 with probability p, else 1/(1-p), from the seeded rng ------
void dropout_mask(float *mask, long n, float p, Rng *rng);

#endif
