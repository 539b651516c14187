#include "gpt/incremental.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "nn/decoder_block_step.h"
#include "tensor/kernels.h"
#include "tensor/matmul.h"

static void *checked(void *p, const char *what) {
    if (p == NULL) {
        fprintf(stderr, "gpt_kv_cache_create: out of memory for %s\n", what);
        abort();
    }
    return p;
}

GptKVCache *gpt_kv_cache_create(const Gpt *model) {
    const GptConfig *c = &model->config;
    GptKVCache *cache = checked(calloc(1, sizeof *cache), "the cache");
    cache->blocks = checked(calloc((size_t)c->n_layers, sizeof *cache->blocks), "the blocks' caches");
    cache->next_logits = checked(calloc((size_t)c->vocab_size, sizeof(float)), "the logits");
    cache->tokens = checked(calloc((size_t)c->n_ctx, sizeof(int)), "the token ids");
    cache->n_layers = c->n_layers;
    cache->vocab_size = c->vocab_size;
    for (int l = 0; l < c->n_layers; l++) kv_cache_create(&cache->blocks[l], c->n_heads, c->d_model / c->n_heads, c->n_ctx);
    return cache;
}

void gpt_kv_cache_free(GptKVCache *cache) {
    if (cache == NULL) return;
    for (int l = 0; l < cache->n_layers; l++) kv_cache_free(&cache->blocks[l]);
    free(cache->blocks);
    free(cache->next_logits);
    free(cache->tokens);
    free(cache);
}

void gpt_kv_cache_reset(GptKVCache *cache) {
    for (int l = 0; l < cache->n_layers; l++) kv_cache_reset(&cache->blocks[l]);
    cache->window_start = 0;
}

static void truncate_all(GptKVCache *cache, int length) {
    for (int l = 0; l < cache->n_layers; l++) kv_cache_truncate(&cache->blocks[l], length);
}

void gpt_kv_cache_copy(GptKVCache *dst, const GptKVCache *src) {
    for (int l = 0; l < src->n_layers; l++) kv_cache_copy(&dst->blocks[l], &src->blocks[l]);
    memcpy(dst->next_logits, src->next_logits, sizeof(float) * (size_t)src->vocab_size);
    memcpy(dst->tokens, src->tokens, sizeof(int) * (size_t)gpt_kv_cache_length(src));
    dst->window_start = src->window_start;
}

int gpt_kv_cache_length(const GptKVCache *cache) { return cache->blocks[0].length; }

size_t gpt_kv_cache_bytes(const GptKVCache *cache) {
    const KVCache *b = &cache->blocks[0];
    return sizeof(float) * 2 * (size_t)cache->n_layers * (size_t)b->capacity * (size_t)(b->n_heads * b->d_head);
}

static void check_tokens_fit_window(const Gpt *model, const GptKVCache *cache, const int *tokens, int n) {
    int length = gpt_kv_cache_length(cache), n_ctx = model->config.n_ctx, vocab = model->config.vocab_size;
    if (n < 1 || length + n > n_ctx) {
        fprintf(stderr, "gpt_decode_step: %d more tokens after %d do not fit the context window (n_ctx = %d)\n", n,
                length, n_ctx);
        abort();
    }
    for (int i = 0; i < n; i++)
        if (tokens[i] < 0 || tokens[i] >= vocab) {
            fprintf(stderr, "gpt_decode_step: token id %d at %d is outside the vocabulary of %d tokens\n", tokens[i],
                    i, vocab);
            abort();
        }
}

// h0 = U·We + Wp at positions start .. start + n − 1 (nn/embedding.c:embed without the
// tape or dropout); h0 [n, d].
static void embed_rows(float *h0, const Embedding *e, const int *tokens, int n, int start, Arena *scratch) {
    int d = e->tokens->shape.dims[1];
    float *token_rows = arena_alloc(scratch, sizeof(float) * (size_t)n * (size_t)d);
    float *position_rows = arena_alloc(scratch, sizeof(float) * (size_t)n * (size_t)d);
    int *positions = arena_alloc(scratch, sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) positions[i] = start + i;
    gather_rows_forward(token_rows, e->tokens->data, tokens, n, d);
    gather_rows_forward(position_rows, e->positions->data, positions, n, d);
    add_forward(h0, token_rows, position_rows, (long)n * d, (long)n * d);
}

// Reads n tokens into the cache: h_l = decoder_block(h_{l−1}) for the new rows, each
// block reading the earlier rows' keys and values from its cache. Then the tied output
// layer, logits = h_n·Weᵀ, for the last `rows` of them only: logits [rows, vocab].
static void read_tokens(Gpt *model, GptKVCache *cache, const int *tokens, int n, float *logits, int rows) {
    check_tokens_fit_window(model, cache, tokens, n);
    memcpy(cache->tokens + gpt_kv_cache_length(cache), tokens, sizeof(int) * (size_t)n);
    Arena *scratch = step_arena();
    ArenaMark mark = arena_mark(scratch);
    int d = model->config.d_model;
    float *h = arena_alloc(scratch, sizeof(float) * (size_t)n * (size_t)d);
    embed_rows(h, &model->embedding, tokens, n, gpt_kv_cache_length(cache), scratch);
    for (int l = 0; l < model->config.n_layers; l++)
        decoder_block_step(h, &model->blocks[l], &cache->blocks[l], h, n, scratch);
    matmul_abt(logits, h + (long)(n - rows) * d, model->embedding.tokens->data, rows, d, cache->vocab_size, false);
    arena_rewind(scratch, mark);
}

const float *gpt_decode_step(Gpt *model, GptKVCache *cache, const int *tokens, int n) {
    read_tokens(model, cache, tokens, n, cache->next_logits, 1);
    return cache->next_logits;
}

const float *gpt_next_token_logits(Gpt *model, GptKVCache *cache, const int *ids, long length) {
    if (length < 1) {
        fprintf(stderr, "gpt_next_token_logits: no token to continue: pass at least one (e.g. a newline)\n");
        abort();
    }
    long start = length > model->config.n_ctx ? length - model->config.n_ctx : 0;  // the last n_ctx tokens
    if (start != cache->window_start) {  // the window moved: every position changed
        gpt_kv_cache_reset(cache);
        cache->window_start = start;
    }
    const int *window = ids + start;
    int n = (int)(length - start), cached = gpt_kv_cache_length(cache), kept = 0;
    while (kept < cached && kept < n && cache->tokens[kept] == window[kept]) kept++;  // the common prefix
    if (kept == n && kept == cached) return cache->next_logits;  // read already
    if (kept == n) kept--;  // a prefix of what was read: read its last token again for its logits
    truncate_all(cache, kept);
    return gpt_decode_step(model, cache, window + kept, n - kept);
}

double gpt_score_tokens(Gpt *model, GptKVCache *cache, const int *tokens, int n, float *log_probs) {
    if (gpt_kv_cache_length(cache) == 0) {
        fprintf(stderr, "gpt_score_tokens: the cache is empty: read at least one token before scoring\n");
        abort();
    }
    if (n == 0) return 0.0;
    int vocab = cache->vocab_size;
    Arena *scratch = step_arena();
    ArenaMark mark = arena_mark(scratch);
    float *logits = arena_alloc(scratch, sizeof(float) * (size_t)(n + 1) * (size_t)vocab);  // row i predicts tokens[i]
    float *row = arena_alloc(scratch, sizeof(float) * (size_t)vocab);
    memcpy(logits, cache->next_logits, sizeof(float) * (size_t)vocab);
    read_tokens(model, cache, tokens, n, logits + vocab, n);
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        log_softmax_forward(row, logits + (long)i * vocab, 1, vocab);  // log P(u) = log softmax(logits)
        log_probs[i] = row[tokens[i]];
        total += log_probs[i];
    }
    memcpy(cache->next_logits, logits + (long)n * vocab, sizeof(float) * (size_t)vocab);
    arena_rewind(scratch, mark);
    return total;
}
