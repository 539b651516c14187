#include "gpt/model.h"

#include <stdio.h>
#include <stdlib.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/lm_head.h"

Gpt *gpt_create_modules(const GptConfig *config) {
    Gpt *model = calloc(1, sizeof *model);
    DecoderBlock *blocks = calloc((size_t)config->n_layers, sizeof *blocks);
    if (model == NULL || blocks == NULL) {
        fprintf(stderr, "gpt_create: out of memory\n");
        abort();
    }
    model->blocks = blocks;
    model->config = *config;
    model->dropout = (Dropout){.p = config->dropout, .rng = NULL};
    embedding_create(&model->embedding, &model->params, config->vocab_size, config->n_ctx, config->d_model);
    model->embedding.dropout = &model->dropout;
    BlockShape shape = {config->d_model, config->n_heads, config->d_ff, config->activation};
    for (int l = 0; l < config->n_layers; l++) {
        char name[32];
        snprintf(name, sizeof name, "blocks.%d", l);
        decoder_block_create(&model->blocks[l], &model->params, name, shape, &model->dropout);
    }
    return model;
}

Gpt *gpt_create(const GptConfig *config) {
    Gpt *model = gpt_create_modules(config);
    parameters_allocate(&model->params);
    return model;
}

void gpt_init_weights(Gpt *model, uint64_t seed) {
    Rng rng;
    rng_seed(&rng, seed);
    parameters_init(&model->params, &rng);
    rng_seed(&model->dropout_rng, seed ^ 0xD0D0D0D0ull);
}

void gpt_free(Gpt *model) {
    if (model == NULL) return;
    parameters_free(&model->params);
    free(model->blocks);
    free(model);
}

void gpt_set_training(Gpt *model, bool training) {
    model->training = training;
    model->dropout.rng = training && model->config.dropout > 0.0f ? &model->dropout_rng : NULL;
}

EvaluationMode gpt_begin_evaluation(Gpt *model) {
    EvaluationMode saved = {set_grad_enabled(false), model->training, model->dropout.rng};
    model->dropout.rng = NULL;
    model->training = false;
    return saved;
}

void gpt_end_evaluation(Gpt *model, EvaluationMode saved) {
    model->dropout.rng = saved.dropout_rng;
    model->training = saved.training;
    set_grad_enabled(saved.grad_enabled);
}

// Eq: h_l = decoder_block(h_{l-1}) for l = 1..n;  h0 [b, t, d] -> h_n [b, t, d]
Tensor *decoder_stack(Gpt *model, Tensor *h) {
    for (int l = 0; l < model->config.n_layers; l++) {
        char scope[32];
        snprintf(scope, sizeof scope, "blocks.%d", l);
        scope_push(scope);
        h = decoder_block(&model->blocks[l], h);
        scope_pop();
    }
    return h;
}

Tensor *gpt_hidden_states(Gpt *model, const int *tokens, int batch, int seq) {
    scope_push("embed");
    Tensor *h0 = embed(&model->embedding, tokens, batch, seq);
    scope_pop();
    return decoder_stack(model, h0);
}

Tensor *gpt_logits(Gpt *model, const int *tokens, int batch, int seq) {
    Tensor *h = gpt_hidden_states(model, tokens, batch, seq);
    scope_push("lm_head");
    Tensor *logits = lm_head_logits(&model->embedding, h);
    scope_pop();
    return logits;
}

// Eq: L1(U) = Σ_i log P(u_i | u_{i-k}, ..., u_{i-1}); returned as the mean negative, −L1/N;  logits [b, t, V]
Tensor *lm_loss(Tensor *logits, const int *targets) { return cross_entropy(logits, targets); }
