// Exercise 04, a known wrong solution: it stores the weights after the dropout instead of the softmax's output.
// Replaces: nn/attention.c scaled_dot_product_attention
#include <math.h>
#include <stddef.h>

#include "autograd/ops.h"
#include "nn/attention.h"

Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights) {
    float d_head = (float)tensor_cols(q);
    *weights = apply_dropout(dropout, softmax(causal_mask(scale(matmul_transposed(q, k), 1.0f / sqrtf(d_head)))));
    return matmul(*weights, v);
}
