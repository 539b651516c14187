// Tutorial 06: pre-training a small GPT on one paragraph with plain SGD, then sampling
// from it. One training step spelled out, then a few hundred more. Read
// tutorials/06_pretrain.md alongside; run with build/tutorials/06_pretrain.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/pretrain.h"
#include "gpt/sample.h"
#include "tutorials/tutorial.h"

static const char PARAGRAPH[] =
    "A language model reads text one token at a time and learns to guess the token that comes next. "
    "At first every guess is equally likely. After a few hundred small steps it can recite the "
    "paragraph it was trained on.";

enum { STEPS = 1000, BATCH = 8, SEQ = 32, PRINT_EVERY = 100 };
// Plain SGD, with two options of gpt/sgd.h: the learning rate falls from 2 to 0 along a
// cosine, and a gradient whose norm exceeds 1 is scaled down to 1.
static const SgdOptions SGD = {.lr = 2.0f, .clip_norm = 1.0f, .decay = LR_COSINE};

static TokenSequence encode_paragraph(const Tokenizer *tokenizer) {
    char error[128];
    TokenSequence data;
    data.ids = tokenizer_encode(tokenizer, PARAGRAPH, strlen(PARAGRAPH), &data.n, error, sizeof error);
    return data;
}

// The body of train_step (gpt/pretrain.c), one line at a time, with what each line did.
static float one_step_spelled_out(Gpt *model, const Batch *batch) {
    Tensor *logits = gpt_logits(model, batch->inputs, batch->batch, batch->seq);
    Tensor *loss = lm_loss(logits, batch->targets);
    printf("  forward: %d nodes on the tape, %zu KiB of the step arena in use\n", the_tape.n_nodes,
           step_arena()->in_use / 1024);
    backward(loss);
    float value = loss->data[0];  // read before the reset: the arena will reuse its memory
    printf("  backward: the gradient of all %ld parameters has norm %.4f\n", model->params.total,
           gradient_norm(&model->params));
    clip_gradients(&model->params, SGD.clip_norm);
    printf("  clipped to norm %.4f\n", gradient_norm(&model->params));
    sgd_step(&model->params, learning_rate_at(&SGD, 0, STEPS));  // θ ← θ − η·∇θ L
    parameters_zero_grad(&model->params);
    tape_reset();
    printf("  SGD step taken, gradients zeroed, arena reset: %zu bytes in use\n", step_arena()->in_use);
    return value;
}

static void print_loss(long step, float loss, float start) {
    int bar = (int)(40.0f * loss / start + 0.5f);
    printf("  step %4ld  loss %.4f  %.*s\n", step, loss, bar > 40 ? 40 : bar, "########################################");
}

static char *sample(Gpt *model, const Tokenizer *tokenizer, const char *prompt, int n_tokens) {
    char error[128];
    long n_prompt, n;
    int *ids = tokenizer_encode(tokenizer, prompt, strlen(prompt), &n_prompt, error, sizeof error);
    SampleOptions greedy = {.n_tokens = n_tokens, .temperature = 0.0f};
    Rng rng;
    rng_seed(&rng, 1);
    int *out = generate(model, ids, n_prompt, &greedy, &rng, &n);
    char *text = tokenizer_decode(tokenizer, out, n, NULL);
    free(ids);
    free(out);
    return text;
}

int main(void) {
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, PARAGRAPH, strlen(PARAGRAPH));
    TokenSequence data = encode_paragraph(&tokenizer);
    GptConfig config = {.n_layers = 2, .d_model = 32, .n_heads = 2, .d_ff = 128, .n_ctx = SEQ,
                        .vocab_size = tokenizer_vocab_size(&tokenizer), .activation = ACTIVATION_RELU};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);

    section("1. The data and the model");
    printf("  %ld characters, a vocabulary of %d distinct ones\n", data.n, config.vocab_size);
    config_print(stdout, &config);

    section("2. One training step, spelled out");
    Rng data_rng;
    rng_seed(&data_rng, 2);
    Batch batch = batch_create(BATCH, SEQ);
    batch_sample(&batch, &data, &data_rng);
    float first = one_step_spelled_out(model, &batch);
    printf("  the loss of that first step: %.4f; ln(vocabulary) = %.4f\n", first, log(config.vocab_size));
    claim(fabs(first - log(config.vocab_size)) < 0.1, "an untrained model guesses uniformly: its loss is ln(V)");

    section("3. Training");
    float loss = first;
    for (long step = 2; step <= STEPS; step++) {
        batch_sample(&batch, &data, &data_rng);
        loss = train_step(model, &batch, &SGD, learning_rate_at(&SGD, step - 1, STEPS));
        if (step % PRINT_EVERY == 0) print_loss(step, loss, first);
    }
    claim(loss < 0.25f * first, "after training the loss is less than a quarter of where it started");

    section("4. Sampling: the model continues a prompt, one token at a time");
    char *text = sample(model, &tokenizer, "A language model", 120);
    printf("  %s\n", text);
    claim(strncmp(text, PARAGRAPH, 32) == 0, "greedy sampling continues the prompt with the paragraph's own words");
    free(text);

    batch_free(&batch);
    free(data.ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    tape_free();
    return tutorial_end();
}
