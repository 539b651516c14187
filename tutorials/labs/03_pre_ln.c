// Lab 3: swap GPT-1's post-LN blocks for GPT-2's pre-LN blocks. The post-LN test
// catches it, the residual stream stops being normalised, and the weights of a trained
// GPT-1 mean nothing in the other wiring. See docs/labs.md.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tutorials/labs/variant.h"
#include "tutorials/tutorial.h"

enum { SEQ = 32, BATCH = 8, DEPTH = 12, STEPS = 300, EVAL_WINDOWS = 32 };
static const float LEARNING_RATE = 0.5f;

// The mean over rows of each row's standard deviation, and the largest |row mean|.
static void hidden_state_statistics(const Tensor *h, double *std, double *largest_mean) {
    int d = tensor_cols(h);
    long rows = tensor_rows(h);
    *std = 0, *largest_mean = 0;
    for (long r = 0; r < rows; r++) {
        double m = 0, v = 0;
        for (int j = 0; j < d; j++) m += h->data[r * d + j] / d;
        for (int j = 0; j < d; j++) v += (h->data[r * d + j] - m) * (h->data[r * d + j] - m) / d;
        *std += sqrt(v) / (double)rows;
        *largest_mean = fmax(*largest_mean, fabs(m));
    }
}

static GptConfig config_with_layers(const Tokenizer *tokenizer, int layers) {
    return (GptConfig){.n_layers = layers, .d_model = 32, .n_heads = 2, .d_ff = 128, .n_ctx = SEQ,
                       .vocab_size = tokenizer_vocab_size(tokenizer), .activation = ACTIVATION_RELU};
}

static void post_ln_test(const Tokenizer *tokenizer) {
    section("1. The post-LN test of tests/test_nn.c, on one block of each kind");
    GptConfig config = config_with_layers(tokenizer, 1);
    Rng rng;
    rng_seed(&rng, 5);
    Tensor *x = tensor_normal(step_arena(), "x", shape3(1, 4, 32), &rng, 5.0f, 3.0f);
    bool passes[2];
    for (int pre = 0; pre < 2; pre++) {
        VariantModel *m = variant_create((Variant){.pre_ln = pre}, &config, 1);
        double std, largest_mean;
        hidden_state_statistics(variant_block(&m->variant, &m->gpt->blocks[0], x), &std, &largest_mean);
        printf("  %s: output rows have std %.4f and means up to %.4f\n", pre ? "pre-LN " : "post-LN", std, largest_mean);
        passes[pre] = fabs(std - 1.0) < 1e-3 && largest_mean < 1e-5;
        variant_free(m);
    }
    claim(passes[0], "a post-LN block passes: every output row has mean 0 and std 1");
    claim(!passes[1], "a pre-LN block fails it: its output is x plus two sublayers, not normalised");
    tape_reset();
}

static void residual_stream(const Tokenizer *tokenizer, const TokenSequence *data) {
    section("2. The residual stream through 12 blocks, at initialisation");
    GptConfig config = config_with_layers(tokenizer, DEPTH);
    bool post_constant = true, pre_growing = true;
    for (int pre = 0; pre < 2; pre++) {
        VariantModel *m = variant_create((Variant){.pre_ln = pre}, &config, 1);
        Tensor *h = embed(&m->gpt->embedding, data->ids, 1, SEQ);
        double std, mean, previous = 0;
        printf("  %s std of h_0..h_12:", pre ? "pre-LN " : "post-LN");
        for (int l = 0; l <= DEPTH; l++) {
            if (l > 0) h = variant_block(&m->variant, &m->gpt->blocks[l - 1], h);
            hidden_state_statistics(h, &std, &mean);
            printf(" %.3f", std);
            if (l > 0 && !pre) post_constant &= fabs(std - 1.0) < 1e-3;
            if (l > 0 && pre) pre_growing &= std > previous;
            previous = std;
        }
        printf("\n");
        variant_free(m);
        tape_reset();
    }
    claim(post_constant, "post-LN: after every block the rows have std 1, whatever the depth");
    claim(pre_growing, "pre-LN: each block adds to the stream and nothing rescales it; it grows with depth");
}

static float eval_loss(VariantModel *m, const TokenSequence *data) {
    Batch b = batch_create(EVAL_WINDOWS, SEQ);
    Rng rng;
    rng_seed(&rng, 99);
    batch_sample(&b, data, &rng);
    float loss = variant_loss(m, &b);
    batch_free(&b);
    return loss;
}

static float train(VariantModel *m, const TokenSequence *data) {
    Batch batch = batch_create(BATCH, SEQ);
    Rng rng;
    rng_seed(&rng, 2);
    for (int step = 0; step < STEPS; step++) {
        batch_sample(&batch, data, &rng);
        variant_train_step(m, &batch, LEARNING_RATE);
    }
    batch_free(&batch);
    return eval_loss(m, data);
}

// Returns the loss of the trained post-LN model.
static float same_weights_other_wiring(const Tokenizer *tokenizer, const TokenSequence *data) {
    section("3. A trained GPT-1, rewired as pre-LN");
    GptConfig config = config_with_layers(tokenizer, 2);
    VariantModel *m = variant_create((Variant){0}, &config, 1);
    float post = train(m, data);
    // The same weights in a pre-LN model, whose new final LayerNorm starts as the
    // identity (gain 1, bias 0): the two parameter tables have the same layout.
    VariantModel *rewired = variant_create((Variant){.pre_ln = true}, &config, 1);
    memcpy(rewired->gpt->params.data, m->gpt->params.data, sizeof(float) * (size_t)m->gpt->params.total);
    float pre = eval_loss(rewired, data);
    printf("  loss after %d steps of post-LN training: %.4f; the same weights wired pre-LN: %.4f\n", STEPS, post, pre);
    printf("  a uniform guess over the %d characters: ln %d = %.4f\n", config.vocab_size, config.vocab_size,
           log(config.vocab_size));
    claim(pre > 0.9 * log(config.vocab_size), "wired pre-LN, the trained weights are back near a uniform guess");
    variant_free(m);
    variant_free(rewired);
    return post;
}

static void pre_ln_from_scratch(const Tokenizer *tokenizer, const TokenSequence *data, float post_loss) {
    section("4. Pre-LN trained in its own wiring");
    GptConfig config = config_with_layers(tokenizer, 2);
    VariantModel *pre = variant_create((Variant){.pre_ln = true}, &config, 1);
    float pre_loss = train(pre, data);
    printf("  loss after %d steps: post-LN %.4f, pre-LN %.4f; ln(vocabulary) = %.4f\n", STEPS, post_loss, pre_loss,
           log(config.vocab_size));
    claim(pre_loss < 0.8 * log(config.vocab_size), "pre-LN is not broken: trained in its own wiring, it learns too");
    variant_free(pre);
}

int main(void) {
    Tokenizer tokenizer;
    TokenSequence data;
    lab_text_tokens(&tokenizer, &data);
    post_ln_test(&tokenizer);
    residual_stream(&tokenizer, &data);
    float post_loss = same_weights_other_wiring(&tokenizer, &data);
    pre_ln_from_scratch(&tokenizer, &data, post_loss);
    free(data.ids);
    tokenizer_free(&tokenizer);
    tape_free();
    return tutorial_end();
}
