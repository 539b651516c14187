// Lab 2: drop the 1/√d_k of scaled dot-product attention. The scores grow with the
// head width, the softmax saturates, its gradient vanishes, and training stalls.
// See docs/labs.md.
#include <math.h>
#include <stdlib.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tutorials/labs/variant.h"
#include "tutorials/tutorial.h"

enum { T = 32, D_K = 64 };  // GPT-1's head width
enum { SEQ = 16, BATCH = 8, STEPS = 800, PRINT_EVERY = 100 };
static const float LEARNING_RATE = 0.3f;

typedef struct Saturation {
    double score_std;       // of the visible scores
    double peaked_rows;     // fraction of rows whose largest weight exceeds 0.9
    double score_gradient;  // mean |dL/dscore| over the visible scores
} Saturation;

// One head on queries and keys of unit variance, as a LayerNorm's output gives them.
static Saturation measure(bool scaled) {
    Rng rng;
    rng_seed(&rng, 3);
    Tensor *q = tensor_normal(step_arena(), "q", shape4(1, 1, T, D_K), &rng, 0.0f, 1.0f);
    Tensor *k = tensor_normal(step_arena(), "k", shape4(1, 1, T, D_K), &rng, 0.0f, 1.0f);
    Tensor *v = tensor_normal(step_arena(), "v", shape4(1, 1, T, D_K), &rng, 0.0f, 1.0f);
    requires_grad(q);
    Tensor *scores = matmul_transposed(q, k);
    if (scaled) scores = scale(scores, 1.0f / sqrtf((float)D_K));
    Tensor *masked = causal_mask(scores);
    Tensor *weights = softmax(masked);
    Tensor *out = matmul(weights, v);
    Tensor *upstream = tensor_normal(step_arena(), "dy", out->shape, &rng, 0.0f, 1.0f);
    bool kept = set_keep_grads(true);  // masked->grad is read below, after the backward pass
    backward_from(out, upstream->data);
    set_keep_grads(kept);
    Saturation s = {0};
    double sum = 0, sum_sq = 0, grad = 0;
    long visible = 0;
    for (int i = 0; i < T; i++) {
        float largest = 0;
        for (int j = 0; j <= i; j++, visible++) {
            double x = masked->data[i * T + j];
            sum += x, sum_sq += x * x, grad += fabs(masked->grad[i * T + j]);
            largest = fmaxf(largest, weights->data[i * T + j]);
        }
        s.peaked_rows += largest > 0.9f ? 1.0 / T : 0.0;
    }
    s.score_std = sqrt(sum_sq / visible - (sum / visible) * (sum / visible));
    s.score_gradient = grad / visible;
    tape_reset();
    return s;
}

static void saturation(void) {
    section("1. The softmax saturates: queries and keys of unit variance, d_k = 64");
    Saturation with = measure(true), without = measure(false);
    printf("                                  with 1/√d_k   without\n");
    printf("  std of the scores               %11.3f %9.3f\n", with.score_std, without.score_std);
    printf("  rows with a weight above 0.9    %11.3f %9.3f\n", with.peaked_rows, without.peaked_rows);
    printf("  mean |gradient| at the scores   %11.5f %9.5f\n", with.score_gradient, without.score_gradient);
    claim(without.score_std > 6.0 * with.score_std, "without the scale the scores spread √64 = 8 times wider");
    claim(without.peaked_rows > 2.0 * with.peaked_rows, "most rows become nearly one-hot");
    claim(without.score_gradient < 0.5 * with.score_gradient, "and the softmax passes far less gradient back to them");
}

// Attention weights of the scale training gives them (not N(0, 0.02)): N(0, 0.5).
static VariantModel *model_with_trained_scale(Variant v, const GptConfig *config) {
    VariantModel *m = variant_create(v, config, 1);
    Rng rng;
    rng_seed(&rng, 9);
    Tensor *w = m->gpt->blocks[0].attn.c_attn.weight;
    for (long i = 0; i < w->size; i++) w->data[i] = rng_normal(&rng, 0.0f, 0.5f);
    return m;
}

static void loss_curves(void) {
    section("2. Training stalls: a model of width 64 with one head of 64");
    Tokenizer tokenizer;
    TokenSequence data;
    lab_text_tokens(&tokenizer, &data);
    GptConfig config = {.n_layers = 1, .d_model = D_K, .n_heads = 1, .d_ff = 4 * D_K, .n_ctx = SEQ,
                        .vocab_size = tokenizer_vocab_size(&tokenizer), .activation = ACTIVATION_RELU};
    VariantModel *m[2] = {model_with_trained_scale((Variant){0}, &config),
                          model_with_trained_scale((Variant){.no_scale = true}, &config)};
    Batch batch = batch_create(BATCH, SEQ);
    Rng rng[2];
    rng_seed(&rng[0], 2), rng_seed(&rng[1], 2);
    double tail[2] = {0, 0};
    printf("  step   with 1/√d_k   without\n");
    for (int step = 1; step <= STEPS; step++) {
        float loss[2];
        for (int k = 0; k < 2; k++) {
            batch_sample(&batch, &data, &rng[k]);
            loss[k] = variant_train_step(m[k], &batch, LEARNING_RATE);
            if (step > STEPS - PRINT_EVERY) tail[k] += loss[k] / PRINT_EVERY;
        }
        if (step % PRINT_EVERY == 0) printf("  %4d   %11.4f %9.4f\n", step, loss[0], loss[1]);
    }
    printf("  mean of the last %d steps: %.4f with the scale, %.4f without\n", PRINT_EVERY, tail[0], tail[1]);
    claim(tail[1] > tail[0] + 0.1, "without the scale the loss ends clearly higher");
    batch_free(&batch);
    variant_free(m[0]), variant_free(m[1]);
    free(data.ids);
    tokenizer_free(&tokenizer);
}

int main(void) {
    saturation();
    loss_curves();
    tape_free();
    return tutorial_end();
}
