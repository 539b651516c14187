// Exercise 04, a known wrong solution: it multiplies Q·K (matmul) instead of Q·Kᵀ (matmul_transposed): the shapes do not fit and the op aborts.
// Replaces: nn/attention.c scaled_dot_product_attention
#include <math.h>
#include <stddef.h>

#include "autograd/ops.h"
#include "nn/attention.h"

Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights) {
    float d_head = (float)tensor_cols(q);
    *weights = softmax(causal_mask(scale(matmul(q, k), 1.0f / sqrtf(d_head))));
    return matmul(apply_dropout(dropout, *weights), v);
}
