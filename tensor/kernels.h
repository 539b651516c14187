// Forward and backward kernels: plain loops over float arrays, no gradients
// bookkeeping, no allocation. Arguments follow one order: outputs first, then
// inputs, then sizes. Every backward kernel ACCUMULATES (+=) into the gradients it
// writes, so a tensor used twice receives both contributions and zeroing gradients
// is a single memset. The matrix products live in matmul.h.
//
// Above each pair, the shape of every argument, row-major, last index innermost; a
// gradient (d prefix) has the shape of its tensor. Above each backward kernel in its
// .c file, its rule: what the forward computed, so what the gradient is. The tape
// nodes that call these kernels are the `*_node_backward` functions of autograd/.
#ifndef GPT1_KERNELS_H
#define GPT1_KERNELS_H

#include <stdint.h>

#include "tensor/rng.h"

// elementwise.c -------------------------------------------------------------
// out[i] = a[i] + b[i % b_size]: b repeats along a (a bias over rows, or equal sizes).
// a, out [n]; b [b_size], n a multiple of b_size
void add_forward(float *out, const float *a, const float *b, long n, long b_size);
void add_backward(float *da, float *db, const float *dout, long n, long b_size);
// a, b, out [n]
void mul_forward(float *out, const float *a, const float *b, long n);
void mul_backward(float *da, float *db, const float *dout, const float *a, const float *b, long n);
// x, out [n]; s a scalar
void scale_forward(float *out, const float *x, float s, long n);
void scale_backward(float *dx, const float *dout, float s, long n);
// x, out [n]
void relu_forward(float *out, const float *x, long n);
void relu_backward(float *dx, const float *dout, const float *x, long n);
// GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); x, out [n]
void gelu_forward(float *out, const float *x, long n);
void gelu_backward(float *dx, const float *dout, const float *x, long n);
// x[i] -= s·dx[i] (the SGD update)
void subtract_scaled(float *x, const float *dx, float s, long n);
// Adam's update (gpt/sgd.c), elementwise: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
// x ← x − lr·(m/c1) / (√(v/c2) + ε), where c1 = 1 − β1^t and c2 = 1 − β2^t undo the
// moments' start at zero. x, m, v, g [n]
typedef struct AdamCoefficients {
    float lr, beta1, beta2, epsilon, correction1, correction2;
} AdamCoefficients;
void adam_update(float *x, float *m, float *v, const float *g, AdamCoefficients c, long n);

// softmax.c: over the last dimension; x, out [rows, cols] -----------------------
void softmax_forward(float *out, const float *x, long rows, int cols);
void softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols);
void log_softmax_forward(float *out, const float *x, long rows, int cols);
void log_softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols);

// layer_norm.c: LayerNorm over the last dimension, saving each row's mean and 1/std ---
// x, out [rows, cols]; gain, bias [cols]; mean, rstd [rows]
#define LAYER_NORM_EPS 1e-5f
void layer_norm_forward(float *out, float *mean, float *rstd, const float *x, const float *gain,
                        const float *bias, long rows, int cols);
void layer_norm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
                         const float *mean, const float *rstd, const float *gain, long rows, int cols);

// gather.c: out[i] = table[ids[i]], the embedding lookup; backward scatter-adds --------
// out [n, cols]; table [rows of the table, cols]; ids [n], each in [0, rows of the table)
void gather_rows_forward(float *out, const float *table, const int *ids, long n, int cols);
void gather_rows_backward(float *dtable, const float *dout, const int *ids, long n, int cols);

// reshape.c: moving data between layouts ----------------------------------------
// causal mask: entries above the diagonal (future) become -inf; x, out [batches, t, t]
void causal_mask_forward(float *out, const float *x, long batches, int t);
void causal_mask_backward(float *dx, const float *dout, long batches, int t);
// split: x [b, t, heads·hd] -> out [b, heads, t, hd]; merge: x [b, heads, t, hd] -> out [b, t, heads·hd]
void split_heads_forward(float *out, const float *x, int b, int t, int heads, int hd);
void split_heads_backward(float *dx, const float *dout, int b, int t, int heads, int hd);
void merge_heads_forward(float *out, const float *x, int b, int t, int heads, int hd);
void merge_heads_backward(float *dx, const float *dout, int b, int t, int heads, int hd);
// x [batches, m, n] -> out [batches, n, m]
void transpose_forward(float *out, const float *x, long batches, int m, int n);
void transpose_backward(float *dx, const float *dout, long batches, int m, int n);
// out[r, :] = x[r, start : start + count]; x [rows, cols], out [rows, count]
void columns_forward(float *out, const float *x, long rows, int cols, int start, int count);
void columns_backward(float *dx, const float *dout, long rows, int cols, int start, int count);
// out[r, :] = [a[r, :], b[r, :]]; a [rows, a_cols], b [rows, b_cols], out [rows, a_cols + b_cols]
void concat_forward(float *out, const float *a, const float *b, long rows, int a_cols, int b_cols);
void concat_backward(float *da, float *db, const float *dout, long rows, int a_cols, int b_cols);

// reduce.c ------------------------------------------------------------------
// x [n]; the sum and its gradient dout are scalars
float sum_forward(const float *x, long n);  // summed in double
// Σ x[i]² in double, in blocks of 8192 values added in order (the same with any
// number of threads): the squared norm of the gradients, for clipping.
double sum_of_squares(const float *x, long n);
void sum_backward(float *dx, float dout, long n);
int argmax(const float *x, int n);  // the index of the largest value (the first, on a tie)

// loss.c: mean cross-entropy of logits [rows, v] against integer targets ----------
// Rows whose target is negative (CROSS_ENTROPY_IGNORE) count for nothing: not in
// the loss, not in the mean, no gradient. Returns the number of rows counted.
// logits, probs [rows, v]; targets [rows]; loss one value, dloss a scalar
#define CROSS_ENTROPY_IGNORE (-1)
long cross_entropy_forward(float *loss, float *probs, const float *logits, const int *targets, long rows,
                           int v);
void cross_entropy_backward(float *dlogits, float dloss, const float *probs, const int *targets, long rows,
                            int v, long counted);
// squared error, for the graded-similarity regression head: mean of (x - y)^2
// x, y [n]; the loss and dloss scalars
float squared_error_forward(const float *x, const float *y, long n);
void squared_error_backward(float *dx, float dloss, const float *x, const float *y, long n);

// dropout.c: mask[i] = 0 with probability p, else 1/(1-p), from the seeded rng ------
// mask [n]; the dropout op applies it with mul_forward, and mul_backward carries the gradient
void dropout_mask(float *mask, long n, float p, Rng *rng);

#endif
