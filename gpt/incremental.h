// Incremental decoding: the model reads a sequence one token at a time (or a few at a
// time), keeping every block's keys and values in a key/value cache, and gives the
// logits of the next token. Generating n tokens then costs n passes of ONE row through
// the blocks and the tied output layer, instead of n passes of the whole window.
//
// Why it is exact: the model is causal. The hidden state of position p, in every block,
// depends only on the tokens at positions 0..p, so the keys and values of earlier
// positions do not change when a token is appended (test_model_causality in
// tests/test_gpt.c checks it bit for bit). The logits agree with gpt_logits on the same
// window within 1e-5 (tests/test_kv_cache.c).
//
// Positions are absolute (h0 = U·We + Wp): when the window moves, every row's position
// changes and nothing cached stays valid. gpt_next_token_logits then empties the cache
// and reads the last n_ctx tokens again, as the full recompute does.
//
// Nothing is recorded on the tape and dropout is off. Temporaries come from the step
// arena and are given back before each call returns.
#ifndef GPT1_INCREMENTAL_H
#define GPT1_INCREMENTAL_H

#include <stddef.h>

#include "gpt/model.h"
#include "nn/kv_cache.h"

typedef struct GptKVCache {
    KVCache *blocks;     // one per decoder block: its keys and values, [heads, n_ctx, d_head] each
    int n_layers;
    int vocab_size;
    int *tokens;         // [n_ctx]: the ids of the positions read, for gpt_next_token_logits (and gdb)
    long window_start;   // gpt_next_token_logits: where position 0 is in the caller's sequence
    float *next_logits;  // [vocab]: the logits of the token after the last one read
} GptKVCache;

GptKVCache *gpt_kv_cache_create(const Gpt *model);  // empty, room for n_ctx positions
void gpt_kv_cache_free(GptKVCache *cache);
void gpt_kv_cache_reset(GptKVCache *cache);           // forget every position
void gpt_kv_cache_copy(GptKVCache *dst, const GptKVCache *src);  // same model: to branch after a shared prefix
int gpt_kv_cache_length(const GptKVCache *cache);     // positions read: 0 .. n_ctx
size_t gpt_kv_cache_bytes(const GptKVCache *cache);   // keys and values: 4 · 2 · n_layers · n_ctx · d

// What generation calls: the logits [vocab] of the token after ids[0..length), the model
// reading the last n_ctx of those tokens, exactly as gpt_logits on that window would.
// It reads only what the cache does not hold: nothing more than the new token when ids
// extends the sequence of the previous call, the part after the common prefix when it
// branches off it, and the whole window again when the window has moved (length >
// n_ctx). The result is valid until the next call.
const float *gpt_next_token_logits(Gpt *model, GptKVCache *cache, const int *ids, long length);

// The step underneath: reads tokens[0..n) at positions length .. length + n − 1 (n = 1
// when generating; a prompt may be read at once) and returns the logits of the token
// that follows them, [vocab] (cache->next_logits). length + n must not exceed n_ctx,
// and the ids must be in the vocabulary: the program stops otherwise.
const float *gpt_decode_step(Gpt *model, GptKVCache *cache, const int *tokens, int n);

// Scoring, for evaluation by likelihood: log_probs[i] = log P(tokens[i] | the tokens
// already read, tokens[0..i)), reading the tokens as it goes; returns their sum. The
// first token is scored with the logits the last read left, so the cache must not be
// empty (read a prompt first, e.g. a start token). length + n must not exceed n_ctx.
// To score several continuations of one context: read the context, gpt_kv_cache_copy
// it, and score each continuation on a copy.
double gpt_score_tokens(Gpt *model, GptKVCache *cache, const int *tokens, int n, float *log_probs);

#endif
