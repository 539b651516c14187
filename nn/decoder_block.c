#include "nn/decoder_block.h"

#include <stdio.h>

#include "autograd/ops.h"

void decoder_block_create(DecoderBlock *block, ParameterTable *params, const char *name, BlockShape shape,
                          const Dropout *dropout) {
    char full[TENSOR_NAME_LEN];
    snprintf(full, sizeof full, "%s.attn", name);
    attention_create(&block->attn, params, full, shape.d, shape.n_heads);
    snprintf(full, sizeof full, "%s.ln_1", name);
    layer_norm_create(&block->ln_1, params, full, shape.d);
    snprintf(full, sizeof full, "%s.mlp", name);
    feed_forward_create(&block->mlp, params, full, shape.d, shape.d_ff, shape.activation);
    snprintf(full, sizeof full, "%s.ln_2", name);
    layer_norm_create(&block->ln_2, params, full, shape.d);
    block->attn.dropout = dropout;
    block->mlp.dropout = dropout;
}

// Eq: h_l = decoder_block(h_{l-1}):  X = LN(X + MaskedMultiHeadAttention(X)); X = LN(X + FFN(X));  [b, t, d]
Tensor *decoder_block(DecoderBlock *block, Tensor *x) {
    x = layer_norm(&block->ln_1, add(x, masked_self_attention(&block->attn, x)));
    return layer_norm(&block->ln_2, add(x, feed_forward(&block->mlp, x)));
}
