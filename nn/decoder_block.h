// One transformer decoder block of GPT-1. LayerNorm comes AFTER each residual
// addition (post-LN, as in the paper and the original Transformer), not before the
// sublayer as in GPT-2.
#ifndef GPT1_DECODER_BLOCK_H
#define GPT1_DECODER_BLOCK_H

#include "nn/attention.h"
#include "nn/feed_forward.h"
#include "nn/layer_norm.h"

typedef struct DecoderBlock {
    MaskedSelfAttention attn;
    LayerNorm ln_1;
    FeedForward mlp;
    LayerNorm ln_2;
} DecoderBlock;

typedef struct BlockShape {
    int d, n_heads, d_ff;
    Activation activation;
} BlockShape;

// name: "blocks.3"; its parameters are "blocks.3.attn.c_attn.weight", ...
void decoder_block_create(DecoderBlock *block, ParameterTable *params, const char *name, BlockShape shape,
                          const Dropout *dropout);
Tensor *decoder_block(DecoderBlock *block, Tensor *x);

#endif
