#include "nn/attention.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "autograd/ops.h"
#include "autograd/tape.h"

void attention_create(MaskedSelfAttention *attn, ParameterTable *params, const char *name, int d, int n_heads) {
    if (n_heads <= 0 || d % n_heads != 0) {
        fprintf(stderr, "attention '%s': %d heads do not divide the width %d\n", name, n_heads, d);
        abort();
    }
    char full[TENSOR_NAME_LEN];
    snprintf(full, sizeof full, "%s.c_attn", name);
    linear_create(&attn->c_attn, params, full, d, 3 * d);
    snprintf(full, sizeof full, "%s.c_proj", name);
    linear_create(&attn->c_proj, params, full, d, d);
    attn->n_heads = n_heads;
    attn->dropout = NULL;
    attn->last_weights = NULL;
}

// Eq: Attention(Q, K, V) = softmax(mask(Q·Kᵀ / √d_head))·V;  q, k, v [b, h, t, d_head] -> [b, h, t, d_head]
Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights) {
    float d_head = (float)tensor_cols(q);
    Tensor *scores = causal_mask(scale(matmul_transposed(q, k), 1.0f / sqrtf(d_head)));  // [b, h, t, t]
    *weights = softmax(scores);
    return matmul(apply_dropout(dropout, *weights), v);
}

// Q, K or V of every head: columns [start, start + d) of the fused projection, split
// into heads, inside the scope `name`, so that the graph shows blocks.0.attn.q.columns
// and .k. and .v. rather than three nodes of the same name.
static Tensor *head_projection(Tensor *qkv, const char *name, int start, int d, int n_heads) {
    scope_push(name);
    Tensor *heads = split_heads(columns(qkv, start, d), n_heads);  // [b, h, t, d / h]
    scope_pop();
    return heads;
}

// Eq: MaskedMultiHeadAttention(X) = concat(head_1..head_h)·W_O,
//   head_i = Attention(X·W_Q,i, X·W_K,i, X·W_V,i);  x [b, t, d] -> [b, t, d]
Tensor *masked_self_attention(MaskedSelfAttention *attn, Tensor *x) {
    scope_push("attn");
    int d = tensor_cols(x);
    Tensor *qkv = linear(&attn->c_attn, x);  // [b, t, 3d]
    Tensor *q = head_projection(qkv, "q", 0, d, attn->n_heads);
    Tensor *k = head_projection(qkv, "k", d, d, attn->n_heads);
    Tensor *v = head_projection(qkv, "v", 2 * d, d, attn->n_heads);
    Tensor *heads = scaled_dot_product_attention(q, k, v, attn->dropout, &attn->last_weights);
    Tensor *out = apply_dropout(attn->dropout, linear(&attn->c_proj, merge_heads(heads)));
    scope_pop();
    return out;
}
