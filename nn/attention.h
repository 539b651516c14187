// Masked multi-head self-attention, the first sublayer of every decoder block.
//
// Q, K and V come from one fused projection c_attn [d, 3d] (as in the original
// release, whose checkpoints store it that way): one matmul instead of three, then
// columns() cuts its output into Q, K and V. Each is split into heads, and every
// head attends to the positions at or before its own (the causal mask).
#ifndef GPT1_ATTENTION_H
#define GPT1_ATTENTION_H

#include "nn/dropout.h"
#include "nn/linear.h"

typedef struct MaskedSelfAttention {
    Linear c_attn;   // x -> [Q K V]: [d, 3d]
    Linear c_proj;   // the output projection W_O: [d, d]
    int n_heads;
    const Dropout *dropout;  // on the attention weights and on the output
    // The softmax weights of the last forward pass, [batch, heads, t, t], for
    // visualisation; valid until the step arena is reset.
    Tensor *last_weights;
} MaskedSelfAttention;

void attention_create(MaskedSelfAttention *attn, ParameterTable *params, const char *name, int d, int n_heads);
Tensor *masked_self_attention(MaskedSelfAttention *attn, Tensor *x);
Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights);

#endif
