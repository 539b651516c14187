// Lab 1: switch the causal mask off. The causality test catches it at once; training
// looks better than ever; and the model is useless for generation. See docs/labs.md.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "tensor/kernels.h"
#include "tutorials/labs/variant.h"
#include "tutorials/tutorial.h"

enum { SEQ = 16, BATCH = 8, STEPS = 1600, PRINT_EVERY = 200, EVAL_WINDOWS = 64 };
static const float LEARNING_RATE = 1.0f;

// Changes the token at position t and returns the largest change of a logit at the
// positions before t: exactly 0 for a causal model.
static float change_before(VariantModel *m, const int *tokens, int t) {
    int vocab = m->gpt->config.vocab_size, changed[SEQ];
    memcpy(changed, tokens, sizeof changed);
    changed[t] = (changed[t] + 1) % vocab;
    Tensor *before = variant_logits(m, tokens, 1, SEQ), *after = variant_logits(m, changed, 1, SEQ);
    float largest = 0.0f;
    for (long i = 0; i < (long)t * vocab; i++) largest = fmaxf(largest, fabsf(before->data[i] - after->data[i]));
    tape_reset();
    return largest;
}

static void causality_test(VariantModel *masked, VariantModel *unmasked, const TokenSequence *data) {
    section("1. The causality test");
    float with_mask = 0, without = 0;
    for (int t = 1; t < SEQ; t++) {
        with_mask = fmaxf(with_mask, change_before(masked, data->ids, t));
        without = fmaxf(without, change_before(unmasked, data->ids, t));
    }
    printf("  changing token t changes a logit before t by at most: %g with the mask, %g without\n", with_mask,
           without);
    claim(with_mask == 0.0f, "with the mask, the past is bit-for-bit unaffected by the future");
    claim(without > 0.0f, "without it, the test fails at once: positions read tokens after them");
}

// Mean loss of the window's predictions at positions [from, to), on fixed windows.
static float loss_at(VariantModel *m, const TokenSequence *data, int from, int to) {
    Batch b = batch_create(EVAL_WINDOWS, SEQ);
    Rng rng;
    rng_seed(&rng, 99);
    batch_sample(&b, data, &rng);
    for (int w = 0; w < EVAL_WINDOWS; w++)
        for (int t = 0; t < SEQ; t++)
            if (t < from || t >= to) b.targets[w * SEQ + t] = CROSS_ENTROPY_IGNORE;
    float loss = variant_loss(m, &b);
    batch_free(&b);
    return loss;
}

int main(void) {
    Tokenizer tokenizer;
    TokenSequence data;
    lab_text_tokens(&tokenizer, &data);
    GptConfig config = {.n_layers = 1, .d_model = 32, .n_heads = 1, .d_ff = 128, .n_ctx = SEQ,
                        .vocab_size = tokenizer_vocab_size(&tokenizer), .activation = ACTIVATION_RELU};
    VariantModel *masked = variant_create((Variant){0}, &config, 1);
    VariantModel *unmasked = variant_create((Variant){.no_mask = true}, &config, 1);
    causality_test(masked, unmasked, &data);

    section("2. Training: the loss without the mask looks wonderful");
    Batch batch = batch_create(BATCH, SEQ);
    Rng rng_a, rng_b;
    rng_seed(&rng_a, 2), rng_seed(&rng_b, 2);
    double tail[2] = {0, 0};  // mean loss of the last PRINT_EVERY steps
    printf("  step   with mask   without\n");
    for (int step = 1; step <= STEPS; step++) {
        batch_sample(&batch, &data, &rng_a);
        float a = variant_train_step(masked, &batch, LEARNING_RATE);
        batch_sample(&batch, &data, &rng_b);
        float b = variant_train_step(unmasked, &batch, LEARNING_RATE);
        if (step > STEPS - PRINT_EVERY) tail[0] += a / PRINT_EVERY, tail[1] += b / PRINT_EVERY;
        if (step % PRINT_EVERY == 0) printf("  %4d   %9.4f %9.4f\n", step, a, b);
    }
    printf("  mean of the last %d steps: %.4f with the mask, %.4f without\n", PRINT_EVERY, tail[0], tail[1]);
    claim(tail[1] < tail[0], "without the mask the training loss ends below the honest model's");

    section("3. ...because it copies the answer, which generation never has");
    float early[2] = {loss_at(masked, &data, 0, SEQ - 1), loss_at(unmasked, &data, 0, SEQ - 1)};
    float last[2] = {loss_at(masked, &data, SEQ - 1, SEQ), loss_at(unmasked, &data, SEQ - 1, SEQ)};
    printf("  loss at positions 0-%d (the next token is in the input): %.4f with the mask, %.4f without\n", SEQ - 2,
           early[0], early[1]);
    printf("  loss at position %d (nothing to copy, as in generation): %.4f with the mask, %.4f without\n", SEQ - 1,
           last[0], last[1]);
    claim(early[1] < 0.5f * last[1], "the unmasked model is good only where it can see the answer");
    claim(last[1] > last[0], "where it cannot, it predicts worse than the model that was trained honestly");

    batch_free(&batch);
    variant_free(masked);
    variant_free(unmasked);
    free(data.ids);
    tokenizer_free(&tokenizer);
    tape_free();
    return tutorial_end();
}
