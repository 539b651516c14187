// Exercise 04, a known wrong solution: it applies the mask after the softmax, so the rows no longer sum to 1.
// Replaces: nn/attention.c scaled_dot_product_attention
#include <math.h>
#include <stddef.h>

#include "autograd/ops.h"
#include "nn/attention.h"

Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights) {
    float d_head = (float)tensor_cols(q);
    *weights = causal_mask(softmax(scale(matmul_transposed(q, k), 1.0f / sqrtf(d_head))));
    return matmul(apply_dropout(dropout, *weights), v);
}
