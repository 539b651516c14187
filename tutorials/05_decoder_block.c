// Tutorial 05: one decoder block, X = LN(X + MaskedMultiHeadAttention(X));
// X = LN(X + FFN(X)). Its graph, its parameters, what post-LN guarantees, and its
// gradient check. Read tutorials/05_decoder_block.md alongside; run with
// build/tutorials/05_decoder_block.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=05 V=<name>` (`make tutorials` runs them all):
// Try: relu -DTRY_RELU
#include <math.h>

#include "autograd/gradcheck.h"
#include "autograd/ops.h"
#include "autograd/tape.h"
#include "gpt/config.h"
#include "nn/decoder_block.h"
#include "tutorials/tutorial.h"

enum { D = 8 };  // the width; 2 heads of 4, an FFN of 4·D
#ifdef TRY_RELU
static const Activation ACTIVATION = ACTIVATION_RELU;  // Try this: and the gradient check fails
#else
static const Activation ACTIVATION = ACTIVATION_GELU;
#endif
static DecoderBlock block;

static Tensor *run_block(Tensor **in, void *context) {
    (void)context;
    scope_push("blocks.0");  // names the outputs blocks.0.attn.softmax, ...
    Tensor *y = decoder_block(&block, in[0]);
    scope_pop();
    return y;
}

static void the_graph(Rng *rng) {
    section("1. The graph of one block");
    Tensor *x = tensor_normal(step_arena(), "x", shape3(1, 4, D), rng, 0.0f, 1.0f);
    requires_grad(x);
    run_block(&x, NULL);
    graph_print();
    claim(the_tape.n_nodes == 25, "25 ops: 16 in attention, 5 in the FFN, 2 residual adds, 2 LayerNorms");
    tape_reset();
}

static void the_parameters(ParameterTable *params) {
    section("2. The parameters of a block");
    parameters_print(stdout, params);
    long d = D, expected = 12 * d * d + 13 * d;  // with d_ff = 4d
    printf("  12·d² + 13·d with d = %d: %ld\n", D, expected);
    claim(params->total == expected, "a block with d_ff = 4d holds 12·d² + 13·d parameters");
    const Preset *gpt1 = preset_find("gpt1");
    GptConfig c = gpt1->config;
    long per_block = (config_parameter_count(&c) - (long)c.vocab_size * c.d_model - (long)c.n_ctx * c.d_model) /
                     c.n_layers;
    printf("  in GPT-1 (d = 768): %ld per block, %d blocks\n", per_block, c.n_layers);
    claim(per_block == 12L * 768 * 768 + 13L * 768, "GPT-1: 7,087,872 parameters per block");
}

static void row_statistics(const float *row, double *mean, double *std) {
    double m = 0, v = 0;
    for (int j = 0; j < D; j++) m += row[j] / D;
    for (int j = 0; j < D; j++) v += (row[j] - m) * (row[j] - m) / D;
    *mean = m, *std = sqrt(v);
}

// Post-LN: the block ends with a LayerNorm (gain 1 and bias 0 at initialisation), so
// whatever the scale of its input, every output row has mean 0 and variance 1.
static void post_ln(Rng *rng) {
    section("3. Post-LN: every output row is normalised");
    Tensor *x = tensor_normal(step_arena(), "x", shape3(1, 4, D), rng, 5.0f, 30.0f);
    Tensor *y = run_block(&x, NULL);
    bool normalised = true;
    for (int r = 0; r < 4; r++) {
        double in_mean, in_std, out_mean, out_std;
        row_statistics(x->data + r * D, &in_mean, &in_std);
        row_statistics(y->data + r * D, &out_mean, &out_std);
        printf("  row %d: input mean %7.3f std %7.3f -> output mean %+.6f std %.6f\n", r, in_mean, in_std, out_mean,
               out_std);
        normalised &= fabs(out_mean) < 1e-5 && fabs(out_std - 1.0) < 1e-3;
    }
    claim(normalised, "rows of any mean and scale come out with mean 0 and std 1");
    tape_reset();
}

// Weights larger than N(0, 0.02) give the gradient check a function worth checking;
// LayerNorm gains stay near 1.
static void perturb_weights(ParameterTable *params, Rng *rng) {
    for (int i = 0; i < params->count; i++) {
        Parameter *p = params->items[i];
        for (long j = 0; j < p->tensor.size; j++)
            p->tensor.data[j] = (p->init == INIT_ONES ? 1.0f : 0.0f) + rng_normal(rng, 0.0f, 0.3f);
    }
}

static void gradient_check(Rng *rng, ParameterTable *params) {
    section("4. The gradient of the whole block, checked");
    perturb_weights(params, rng);
    Tensor *inputs[GRADCHECK_MAX_INPUTS];
    inputs[0] = tensor_normal(step_arena(), "x", shape3(1, 3, D), rng, 0.0f, 1.0f);
    requires_grad(inputs[0]);
    for (int i = 0; i < params->count; i++) inputs[1 + i] = &params->items[i]->tensor;
    // A step of 1e-2 rather than the default 1e-3: the block runs in float32, and its
    // rounding, divided by 2ε, would otherwise be as large as the errors sought.
    GradcheckOptions options = GRADCHECK_DEFAULTS;
    options.epsilon = 1e-2;
    GradcheckResult result = gradcheck(run_block, NULL, inputs, 1 + params->count, &options);
    gradcheck_print("decoder_block: x and its 12 parameters", &result);
#ifdef TRY_RELU
    int failed = 0;
    for (int i = 0; i < result.n_inputs; i++) failed += !result.inputs[i].passed;
    printf("  with ReLU, %d of the %d inputs fail\n", failed, result.n_inputs);
    claim(!result.passed, "with ReLU the same check fails, although every backward is right");
#else
    claim(result.passed, "backward through attention, FFN, residuals and LayerNorms matches finite differences");
#endif
    tape_reset();
}

#ifdef TRY_RELU
static Tensor *f_relu_alone(Tensor **in, void *context) {
    (void)context;
    return relu(in[0]);
}

// Why: max(0, x) has a kink at 0. A central difference whose interval [x − ε, x + ε]
// contains 0 measures neither slope: at x = 0.004 with ε = 0.01 it is
// (0.014 − 0) / 0.02 = 0.7, where backward says 1. Nudging any of 896 numbers moves
// many of the FFN's 96 hidden inputs a little; one near 0 is enough. What to use
// instead: check a smooth function of the same shape (this program's GELU), and check
// ReLU on its own at inputs kept away from the kink, as tests/test_ops.c does.
static void the_kink(Rng *rng) {
    section("Try this: why ReLU fails the check, and what to check instead");
    double x = 0.004, eps = 0.01, plus = fmax(0, x + eps), minus = fmax(0, x - eps);
    double central = (plus - minus) / (2 * eps);
    printf("  relu at x = %g, ε = %g: (relu(x + ε) − relu(x − ε)) / 2ε = %g; backward says %d\n", x, eps, central,
           x > 0);
    claim(central > 0.5 && central < 0.9, "a central difference across the kink gives neither slope, 0 or 1");
    Tensor *input = tensor_normal(step_arena(), "x", shape2(4, 8), rng, 0.0f, 1.0f);
    requires_grad(input);
    for (long i = 0; i < input->size; i += 5) input->data[i] = 0.001f * (float)(i % 3);  // at or near the kink
    GradcheckOptions options = GRADCHECK_DEFAULTS;
    options.epsilon = 1e-2;
    GradcheckResult near = gradcheck(f_relu_alone, NULL, &input, 1, &options);
    for (long i = 0; i < input->size; i++) input->data[i] += input->data[i] > 0 ? 0.1f : -0.1f;
    GradcheckResult away = gradcheck(f_relu_alone, NULL, &input, 1, &options);
    gradcheck_print("relu with some inputs within ε of 0", &near);
    gradcheck_print("relu with every input 0.1 or more from 0", &away);
    claim(!near.passed && away.passed, "the same ReLU fails near the kink and passes away from it");
    tape_reset();
}
#endif

int main(void) {
    ParameterTable params = {0};
    BlockShape shape = {.d = D, .n_heads = 2, .d_ff = 4 * D, .activation = ACTIVATION};
    decoder_block_create(&block, &params, "blocks.0", shape, NULL);
    parameters_allocate(&params);
    Rng rng;
    rng_seed(&rng, 5);
    parameters_init(&params, &rng);  // N(0, 0.02) weights, gains 1, biases 0
    the_graph(&rng);
    the_parameters(&params);
    post_ln(&rng);
    gradient_check(&rng, &params);
#ifdef TRY_RELU
    the_kink(&rng);
#endif
    parameters_free(&params);
    tape_free();
    return tutorial_end();
}
