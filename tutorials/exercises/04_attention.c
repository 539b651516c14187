// Exercise 04: scaled dot-product attention with the causal mask.
// Replaces: nn/attention.c scaled_dot_product_attention
//
// Grade your answer with `make exercise N=04`; docs/exercises.md explains the rules.
// The solution is the library's own code: do not look at nn/attention.c until you pass.
//
//     Attention(Q, K, V) = softmax(mask(Q·Kᵀ / √d_k))·V
//
// q, k and v are [b, h, t, d_k]: b sequences, h heads, t positions, d_k numbers per
// head. Build the result from the differentiable ops of autograd/ops.h, so that the
// tape records every step and backward() can run through them:
//   matmul_transposed(a, b)  a·bᵀ over the last two dimensions: [.., t, d_k]·[.., t, d_k]ᵀ -> [.., t, t]
//   scale(x, s)              s·x
//   causal_mask(x)           -inf above the diagonal of the last two dimensions
//   softmax(x)               over the last dimension
//   apply_dropout(d, x)      dropout on the weights (the identity when d is NULL or off)
//   matmul(a, b)             a·b: [.., t, t]·[.., t, d_k] -> [.., t, d_k]
// d_k is tensor_cols(q). Store the attention weights, the softmax's output before the
// dropout, in *weights (the pictures and tutorial 04 read them), and return the
// [b, h, t, d_k] result.
#include <math.h>
#include <stddef.h>

#include "autograd/ops.h"
#include "nn/attention.h"

Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights) {
    // TODO: your code here. Delete the lines below when you write it.
    (void)q, (void)k, (void)v, (void)dropout, (void)weights;
    return NULL;
}
