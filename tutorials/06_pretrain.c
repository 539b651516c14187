// Tutorial 06: pre-training a small GPT on one paragraph with plain SGD, then sampling
// from it. One training step spelled out, then a few hundred more. Read
// tutorials/06_pretrain.md alongside; run with build/tutorials/06_pretrain.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=06 V=<name>` (`make tutorials` runs them all):
// Try: lr20 -DTRY_LR20
// Try: lr20_noclip -DTRY_LR20 -DTRY_NO_CLIP
// Try: ctx64 -DTRY_CTX64
// Try: sampled -DTRY_SAMPLED
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

#ifdef TRY_CTX64
enum { SEQ = 64 };  // Try this: n_ctx and the windows twice as long
#else
enum { SEQ = 32 };  // n_ctx, and the length of every training window
#endif
enum { STEPS = 1000, BATCH = 8, PRINT_EVERY = 100 };
#ifdef TRY_LR20
static const float LEARNING_RATE = 20.0f;  // Try this: ten times larger
#else
static const float LEARNING_RATE = 2.0f;
#endif
#ifdef TRY_NO_CLIP
static const float CLIP_NORM = 0.0f;  // Try this: no clipping
#else
static const float CLIP_NORM = 1.0f;
#endif
// Plain SGD, with two options of gpt/sgd.h: the learning rate falls from 2 to 0 along a
// cosine, and a gradient whose norm exceeds 1 is scaled down to 1.
static const SgdOptions SGD = {.lr = LEARNING_RATE, .clip_norm = CLIP_NORM, .decay = LR_COSINE};

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
    if (SGD.clip_norm > 0.0f) {
        clip_gradients(&model->params, SGD.clip_norm);
        printf("  clipped to norm %.4f\n", gradient_norm(&model->params));
    } else {
        printf("  clipping off: the step follows the gradient as it is\n");
    }
    sgd_step(&model->params, learning_rate_at(&SGD, 0, STEPS));  // θ ← θ − η·∇θ L
    parameters_zero_grad(&model->params);
    tape_reset();
    printf("  SGD step taken, gradients zeroed, arena reset: %zu bytes in use\n", step_arena()->in_use);
    return value;
}

static void print_loss(long step, float loss, float start) {
    float relative = loss / start;  // nan or far above 1 when the training diverges: a full bar
    int bar = isfinite(relative) && relative < 1.0f ? (int)(40.0f * relative + 0.5f) : 40;
    printf("  step %4ld  loss %.4f  %.*s\n", step, loss, bar, "########################################");
}

#ifdef TRY_SAMPLED
static const SampleOptions SAMPLING = {.temperature = 0.8f, .top_k = 5};  // Try this: drawn, not greedy
#else
static const SampleOptions SAMPLING = {.temperature = 0.0f};  // greedy: the most likely token every time
#endif

static char *sample(Gpt *model, const Tokenizer *tokenizer, const char *prompt, int n_tokens, uint64_t seed) {
    char error[128];
    long n_prompt, n;
    int *ids = tokenizer_encode(tokenizer, prompt, strlen(prompt), &n_prompt, error, sizeof error);
    SampleOptions options = SAMPLING;
    options.n_tokens = n_tokens;
    Rng rng;
    rng_seed(&rng, seed);
    int *out = generate(model, ids, n_prompt, &options, &rng, &n);
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
    float loss = first, highest = first;
    for (long step = 2; step <= STEPS; step++) {
        batch_sample(&batch, &data, &data_rng);
        loss = train_step(model, &batch, &SGD, learning_rate_at(&SGD, step - 1, STEPS));
        highest = fmaxf(highest, loss);
        if (step % PRINT_EVERY == 0) print_loss(step, loss, first);
    }
#if defined(TRY_LR20) && defined(TRY_NO_CLIP)
    claim(isnan(loss), "η = 20 without clipping: one large gradient throws the weights so far that the loss is nan");
#elif defined(TRY_LR20)
    printf("  the highest loss of a step: %.1f\n", highest);
    claim(isfinite(highest) && highest > 2 * first, "η = 20 with clipping: the loss leaps far above ln(V), but "
                                                    "a clipped step is at most η·1 long, so it never becomes nan");
#else
    claim(loss < 0.25f * first, "after training the loss is less than a quarter of where it started");
#endif

    section("4. Sampling: the model continues a prompt, one token at a time");
    char *text = sample(model, &tokenizer, "A language model", 120, 1);
    printf("  %s\n", text);
    size_t follows = 0;
    while (text[follows] != '\0' && text[follows] == PARAGRAPH[follows]) follows++;
    printf("  it follows the paragraph for %zu characters before its first slip\n", follows);
#if defined(TRY_SAMPLED)
    char *again = sample(model, &tokenizer, "A language model", 120, 1);
    claim(strcmp(text, again) == 0, "a drawn sample is seeded: the same seed draws the same text again");
    claim(strncmp(text, PARAGRAPH, 16) == 0, "it starts with the prompt");
    free(again);
#elif !defined(TRY_LR20)
    claim(follows >= 32, "greedy sampling continues the prompt with the paragraph's own words");
#endif
    free(text);

    batch_free(&batch);
    free(data.ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    tape_free();
    return tutorial_end();
}
