// The decoder block for new positions only: the inference path of generation.
//
// decoder_block (nn/decoder_block.h) reads a whole window of t positions at once and
// records every op on the tape for training. To generate the next token it would
// recompute all t rows, t − 1 of which it computed before. decoder_block_step computes
// the block's output for the new rows only (one row when generating): every part of
// the block works row by row except attention, and attention needs from the earlier
// positions only their keys and values, which the KVCache keeps.
//
// Same parameters, same kernels (tensor/kernels.h, tensor/matmul.h) and the same
// order of sums as the full pass, so the outputs agree with decoder_block's rows (the
// tests check within 1e-5). It records nothing on the tape, computes no gradient and
// applies no dropout: it is for evaluation only.
#ifndef GPT1_DECODER_BLOCK_STEP_H
#define GPT1_DECODER_BLOCK_STEP_H

#include "nn/decoder_block.h"
#include "nn/kv_cache.h"
#include "tensor/arena.h"

// The block's input at the n positions cache->length .. cache->length + n − 1, x [n, d]
// -> its output, out [n, d] (out may be x). Appends their keys and values to the cache.
// Temporaries come from `scratch`, which is given back as it was.
void decoder_block_step(float *out, const DecoderBlock *block, KVCache *cache, const float *x, int n,
                        Arena *scratch);
// MaskedMultiHeadAttention of the n new rows: x [n, d] -> out [n, d]; appends their keys and values.
void attention_step(float *out, const MaskedSelfAttention *attn, KVCache *cache, const float *x, int n,
                    Arena *scratch);
// One head: the attention of n new rows at positions past .. past + n − 1 over the cached
// rows. q [n, d_head]; keys, values [past + n, d_head] -> out [n, d_head].
void cached_attention(float *out, const float *q, const float *keys, const float *values, int n, int past,
                      int d_head, Arena *scratch);

#endif
