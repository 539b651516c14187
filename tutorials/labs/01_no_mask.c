// Lab 1: switch the causal mask off. The causality test catches it at once; training
// looks better than ever; and the model is useless for generation. On the way, the two
// other ways of writing the mask: the specification's X ⊗ X_Mask, which leaks, and the
// original release's −1e9, which does not. See docs/labs.md.
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

// The specification writes the mask as X_output = X ⊗ X_Mask: a masked score becomes 0,
// not −∞. The original code writes w·b − 1e9·(1 − b). The same weights as the masked
// model's, three ways.
static void two_more_masks(VariantModel *masked, const GptConfig *config, const TokenSequence *data) {
    section("2. Two more ways to write the mask");
    VariantModel *multiplied = variant_create((Variant){.mask = MASK_MULTIPLIED}, config, 1);
    VariantModel *minus_1e9 = variant_create((Variant){.mask = MASK_MINUS_1E9}, config, 1);
    float leak = 0, leak_1e9 = 0;
    for (int t = 1; t < SEQ; t++) {
        leak = fmaxf(leak, change_before(multiplied, data->ids, t));
        leak_1e9 = fmaxf(leak_1e9, change_before(minus_1e9, data->ids, t));
    }
    variant_logits(multiplied, data->ids, 1, SEQ);
    const float *row0 = multiplied->gpt->blocks[0].attn.last_weights->data;  // position 0's weights
    double future = 0;
    for (int j = 1; j < SEQ; j++) future += row0[j];
    tape_reset();
    int vocab = config->vocab_size;
    float *reference = malloc(sizeof(float) * SEQ * (size_t)vocab);
    memcpy(reference, variant_logits(masked, data->ids, 1, SEQ)->data, sizeof(float) * SEQ * (size_t)vocab);
    bool same = memcmp(reference, variant_logits(minus_1e9, data->ids, 1, SEQ)->data,
                       sizeof(float) * SEQ * (size_t)vocab) == 0;
    tape_reset();
    printf("  X ⊗ X_Mask: changing token t changes a logit before t by up to %g; position 0 gives %.2f of its\n"
           "  attention to the %d positions after it\n", leak, future, SEQ - 1);
    printf("  w·b − 1e9·(1 − b): changes before t up to %g; logits %s those of −∞\n", leak_1e9,
           same ? "bit-for-bit" : "NOT");
    claim(leak > 0.0f && future > 0.5, "X ⊗ X_Mask leaks: a masked score becomes 0, exp(0) = 1, and the future "
                                       "gets a weight");
    claim(leak_1e9 == 0.0f && same, "the original code's −1e9 gives bit-for-bit the logits of −∞");
    free(reference);
    variant_free(multiplied);
    variant_free(minus_1e9);
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
    VariantModel *unmasked = variant_create((Variant){.mask = MASK_NONE}, &config, 1);
    causality_test(masked, unmasked, &data);
    two_more_masks(masked, &config, &data);

    section("3. Training: the loss without the mask looks wonderful");
    Batch batch = batch_create(BATCH, SEQ);
    Rng rng_a, rng_b;
    rng_seed(&rng_a, 2), rng_seed(&rng_b, 2);
    double tail[2] = {0, 0};  // mean loss of the last PRINT_EVERY steps
    printf("  steps        with mask   without   (the mean training loss of each %d steps)\n", PRINT_EVERY);
    for (int step = 1; step <= STEPS; step++) {
        if (step % PRINT_EVERY == 1) tail[0] = tail[1] = 0;
        batch_sample(&batch, &data, &rng_a);
        tail[0] += variant_train_step(masked, &batch, LEARNING_RATE) / PRINT_EVERY;
        batch_sample(&batch, &data, &rng_b);
        tail[1] += variant_train_step(unmasked, &batch, LEARNING_RATE) / PRINT_EVERY;
        if (step % PRINT_EVERY == 0) printf("  %4d-%-4d   %9.4f %9.4f\n", step - PRINT_EVERY + 1, step, tail[0], tail[1]);
    }
    claim(tail[1] < tail[0], "without the mask the training loss ends below the honest model's");

    section("4. ...because it copies the answer, which generation never has");
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
