// Exercise 04, a known wrong solution: it scales by 1/√d_model (all heads together) instead of 1/√d_head.
// Replaces: nn/attention.c scaled_dot_product_attention
#include <math.h>
#include <stddef.h>

#include "autograd/ops.h"
#include "nn/attention.h"

Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights) {
    float d_model = (float)(q->shape.dims[1] * tensor_cols(q));  // heads · d_head
    Tensor *scores = causal_mask(scale(matmul_transposed(q, k), 1.0f / sqrtf(d_model)));
    *weights = softmax(scores);
    return matmul(apply_dropout(dropout, *weights), v);
}
