// Lab 4: untie the output layer: logits = h_n·W_outᵀ with a new W_out instead of Weᵀ.
// More parameters, and the token embedding loses the gradient that every row of it
// received from the output. See docs/labs.md.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "gpt/config.h"
#include "tutorials/labs/variant.h"
#include "tutorials/tutorial.h"

enum { SEQ = 32, BATCH = 8, STEPS = 300, PRINT_EVERY = 50 };
static const float LEARNING_RATE = 0.5f;

static GptConfig config_for(const Tokenizer *tokenizer) {
    return (GptConfig){.n_layers = 2, .d_model = 32, .n_heads = 2, .d_ff = 128, .n_ctx = SEQ,
                       .vocab_size = tokenizer_vocab_size(tokenizer), .activation = ACTIVATION_RELU};
}

static void parameter_counts(VariantModel *tied, VariantModel *untied) {
    section("1. The price in parameters: a second [vocabulary, d] matrix");
    GptConfig c = tied->gpt->config;
    long extra = variant_parameter_count(untied) - variant_parameter_count(tied);
    printf("  this model: %ld tied, %ld untied (+%ld = %d·%d)\n", variant_parameter_count(tied),
           variant_parameter_count(untied), extra, c.vocab_size, c.d_model);
    claim(extra == (long)c.vocab_size * c.d_model, "untying adds vocabulary × d parameters");
    GptConfig gpt1 = preset_find("gpt1")->config;
    long tied_count = config_parameter_count(&gpt1), w_out = (long)gpt1.vocab_size * gpt1.d_model;
    printf("  GPT-1: %ld tied, %ld untied: %.0f%% more\n", tied_count, tied_count + w_out,
           100.0 * (double)w_out / (double)tied_count);
    claim(tied_count + w_out == 147621888L, "GPT-1 untied would have 147,621,888 parameters instead of 116,534,784");
}

static int rows_with_gradient(const Tensor *t) {
    int rows = 0, d = tensor_cols(t);
    for (long r = 0; r < tensor_rows(t); r++) {
        bool any = false;
        for (int j = 0; j < d; j++) any |= t->grad[r * d + j] != 0.0f;
        rows += any;
    }
    return rows;
}

static void one_backward(VariantModel *m, const Batch *batch) {
    backward(lm_loss(variant_logits(m, batch->inputs, batch->batch, batch->seq), batch->targets));
}

static void which_rows_learn(VariantModel *tied, VariantModel *untied, const TokenSequence *data) {
    section("2. Which rows of We receive a gradient from one batch");
    Batch batch = batch_create(2, 8);  // 16 tokens: some of the vocabulary is missing
    Rng rng;
    rng_seed(&rng, 7);
    batch_sample(&batch, data, &rng);
    bool seen[256] = {false};
    int distinct = 0;
    for (int i = 0; i < 16; i++) distinct += !seen[batch.inputs[i]], seen[batch.inputs[i]] = true;
    one_backward(tied, &batch);
    one_backward(untied, &batch);
    int vocab = tied->gpt->config.vocab_size;
    int rows_tied = rows_with_gradient(tied->gpt->embedding.tokens);
    int rows_untied = rows_with_gradient(untied->gpt->embedding.tokens);
    printf("  the batch holds %d distinct tokens of %d\n", distinct, vocab);
    printf("  rows of We with a gradient: %d tied, %d untied (W_out: %d)\n", rows_tied, rows_untied,
           rows_with_gradient(untied->w_out));
    claim(rows_tied == vocab, "tied: every row learns at every step, through the softmax over the vocabulary");
    claim(rows_untied == distinct, "untied: only the rows of the tokens in the input learn");
    parameters_zero_grad(&tied->gpt->params);
    parameters_zero_grad(&untied->gpt->params), parameters_zero_grad(&untied->extras);
    tape_reset();
    batch_free(&batch);
}

// With W_out a copy of We, the untied model computes the same function, and the tied
// gradient of We is the sum of the untied gradients of We and W_out.
static void two_paths(VariantModel *tied, VariantModel *untied, const TokenSequence *data) {
    section("3. The tied gradient is the sum of two paths");
    Tensor *we = tied->gpt->embedding.tokens;
    memcpy(untied->gpt->params.data, tied->gpt->params.data, sizeof(float) * (size_t)tied->gpt->params.total);
    memcpy(untied->w_out->data, we->data, sizeof(float) * (size_t)we->size);
    Batch batch = batch_create(BATCH, SEQ);
    Rng rng;
    rng_seed(&rng, 8);
    batch_sample(&batch, data, &rng);
    one_backward(tied, &batch);
    one_backward(untied, &batch);
    float worst = 0;
    for (long i = 0; i < we->size; i++)
        worst = fmaxf(worst, fabsf(we->grad[i] - (untied->gpt->embedding.tokens->grad[i] + untied->w_out->grad[i])));
    printf("  largest |dWe(tied) − (dWe + dW_out)(untied)| = %g\n", worst);
    claim(worst < 1e-5f, "the tape adds both uses of We: nothing in the code ties them but the pointer");
    parameters_zero_grad(&tied->gpt->params);
    parameters_zero_grad(&untied->gpt->params), parameters_zero_grad(&untied->extras);
    tape_reset();
    batch_free(&batch);
}

static void tied_and_untied_curves(const Tokenizer *tokenizer, const TokenSequence *data) {
    section("4. Training both");
    GptConfig config = config_for(tokenizer);
    VariantModel *m[2] = {variant_create((Variant){0}, &config, 1),
                          variant_create((Variant){.untied = true}, &config, 1)};
    Batch batch = batch_create(BATCH, SEQ);
    Rng rng[2];
    rng_seed(&rng[0], 2), rng_seed(&rng[1], 2);
    printf("  step      tied   untied\n");
    float last[2];
    for (int step = 1; step <= STEPS; step++) {
        for (int k = 0; k < 2; k++) {
            batch_sample(&batch, data, &rng[k]);
            last[k] = variant_train_step(m[k], &batch, LEARNING_RATE);
        }
        if (step % PRINT_EVERY == 0) printf("  %4d   %7.4f  %7.4f\n", step, last[0], last[1]);
    }
    claim(last[1] < log(config.vocab_size) && last[0] < log(config.vocab_size), "both learn on this small text");
    batch_free(&batch);
    variant_free(m[0]), variant_free(m[1]);
}

int main(void) {
    Tokenizer tokenizer;
    TokenSequence data;
    lab_text_tokens(&tokenizer, &data);
    GptConfig config = config_for(&tokenizer);
    VariantModel *tied = variant_create((Variant){0}, &config, 1);
    VariantModel *untied = variant_create((Variant){.untied = true}, &config, 1);
    parameter_counts(tied, untied);
    which_rows_learn(tied, untied, &data);
    two_paths(tied, untied, &data);
    tied_and_untied_curves(&tokenizer, &data);
    variant_free(tied);
    variant_free(untied);
    free(data.ids);
    tokenizer_free(&tokenizer);
    tape_free();
    return tutorial_end();
}
