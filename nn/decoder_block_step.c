#include "nn/decoder_block_step.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tensor/kernels.h"
#include "tensor/matmul.h"

static float *scratch_floats(Arena *scratch, long count) { return arena_alloc(scratch, sizeof(float) * (size_t)count); }

// y = x·W + b over n rows (nn/linear.c:linear without the tape); y [n, out].
static void linear_rows(float *y, const Linear *layer, const float *x, int n) {
    int in = layer->weight->shape.dims[0], out = layer->weight->shape.dims[1];
    matmul_ab(y, x, layer->weight->data, n, in, out, false);
    add_forward(y, y, layer->bias->data, (long)n * out, out);  // elementwise: y may be an input
}

// LN over n rows (nn/layer_norm.c:layer_norm without the tape).
static void layer_norm_rows(float *y, const LayerNorm *ln, const float *x, int n, Arena *scratch) {
    int d = ln->gain->shape.dims[0];
    float *mean = scratch_floats(scratch, n), *rstd = scratch_floats(scratch, n);  // not needed after: no backward
    layer_norm_forward(y, mean, rstd, x, ln->gain->data, ln->bias->data, n, d);
}

// FFN(X) = act(X·W1 + b1)·W2 + b2 over n rows (nn/feed_forward.c:feed_forward without the tape or dropout).
static void feed_forward_rows(float *y, const FeedForward *ffn, const float *x, int n, Arena *scratch) {
    int d_ff = ffn->c_fc.weight->shape.dims[1];
    float *hidden = scratch_floats(scratch, (long)n * d_ff);
    linear_rows(hidden, &ffn->c_fc, x, n);
    if (ffn->activation == ACTIVATION_GELU)
        gelu_forward(hidden, hidden, (long)n * d_ff);  // elementwise, in place
    else
        relu_forward(hidden, hidden, (long)n * d_ff);
    linear_rows(y, &ffn->c_proj, hidden, n);
}

// Eq: a_i = softmax(q_i·Kᵀ / √d_head)·V, K and V the cached rows of positions 0..past+i (the mask
// of a new row hides only the new rows after it);  q [n, d_head], K, V [past+n, d_head] -> [n, d_head]
void cached_attention(float *out, const float *q, const float *keys, const float *values, int n, int past,
                      int d_head, Arena *scratch) {
    ArenaMark mark = arena_mark(scratch);
    int length = past + n;
    float *scores = scratch_floats(scratch, (long)n * length), *masked = scratch_floats(scratch, (long)n * length);
    float *weights = scratch_floats(scratch, (long)n * length);
    matmul_abt(scores, q, keys, n, d_head, length, false);  // q·Kᵀ [n, length]
    for (int i = 0; i < n; i++) {
        int visible = past + i + 1;  // positions 0 .. past + i
        float *row = masked + (long)i * length;
        scale_forward(row, scores + (long)i * length, 1.0f / sqrtf((float)d_head), visible);
        for (int j = visible; j < length; j++) row[j] = -INFINITY;
    }
    softmax_forward(weights, masked, n, length);
    matmul_ab(out, weights, values, n, length, d_head, false);
    arena_rewind(scratch, mark);
}

static void check_room(const KVCache *cache, int n) {
    if (n < 1 || cache->length + n > cache->capacity) {
        fprintf(stderr, "decoder_block_step: %d new positions after %d do not fit a cache of %d (n_ctx)\n", n,
                cache->length, cache->capacity);
        abort();
    }
}

// MaskedMultiHeadAttention(X) = concat(head_1..head_h)·W_O for the new rows, the keys
// and values of the earlier rows read from the cache.
void attention_step(float *out, const MaskedSelfAttention *attn, KVCache *cache, const float *x, int n,
                    Arena *scratch) {
    check_room(cache, n);
    ArenaMark mark = arena_mark(scratch);
    int heads = cache->n_heads, hd = cache->d_head, d = heads * hd, past = cache->length;
    float *qkv = scratch_floats(scratch, (long)n * 3 * d);
    linear_rows(qkv, &attn->c_attn, x, n);                // [n, 3d]: Q, K, V side by side
    kv_cache_append(cache, qkv + d, qkv + 2 * d, n, 3 * d);  // K and V of the new rows join the cache
    float *q = scratch_floats(scratch, (long)n * d), *q_heads = scratch_floats(scratch, (long)n * d);
    columns_forward(q, qkv, n, 3 * d, 0, d);
    split_heads_forward(q_heads, q, 1, n, heads, hd);      // [heads, n, hd]
    float *heads_out = scratch_floats(scratch, (long)n * d), *merged = scratch_floats(scratch, (long)n * d);
    for (int h = 0; h < heads; h++)
        cached_attention(heads_out + (long)h * n * hd, q_heads + (long)h * n * hd, kv_cache_keys(cache, h),
                         kv_cache_values(cache, h), n, past, hd, scratch);
    merge_heads_forward(merged, heads_out, 1, n, heads, hd);  // concat(head_1..head_h) [n, d]
    linear_rows(out, &attn->c_proj, merged, n);               // ·W_O
    arena_rewind(scratch, mark);
}

// X = LN(X + MaskedMultiHeadAttention(X)); X = LN(X + FFN(X)) for the new rows
// (nn/decoder_block.c:decoder_block, one row at a time when generating).
void decoder_block_step(float *out, const DecoderBlock *block, KVCache *cache, const float *x, int n,
                        Arena *scratch) {
    ArenaMark mark = arena_mark(scratch);
    long size = (long)n * (cache->n_heads * cache->d_head);
    float *attended = scratch_floats(scratch, size), *sum = scratch_floats(scratch, size);
    float *h = scratch_floats(scratch, size), *ffn = scratch_floats(scratch, size);
    attention_step(attended, &block->attn, cache, x, n, scratch);
    add_forward(sum, x, attended, size, size);
    layer_norm_rows(h, &block->ln_1, sum, n, scratch);
    feed_forward_rows(ffn, &block->mlp, h, n, scratch);
    add_forward(sum, h, ffn, size, size);
    layer_norm_rows(out, &block->ln_2, sum, n, scratch);
    arena_rewind(scratch, mark);
}
