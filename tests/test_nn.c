// nn/: every module gradient-checked end to end (input and all parameters), causality,
// hand-computed values (attention, linear, FFN, logits, a one-token block), LayerNorm
// statistics, the tied output head, dropout, and the post-LN order of the block.
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/decoder_block.h"
#include "nn/lm_head.h"
#include "tests/helpers.h"

static Rng rng;
static ParameterTable params;

static void nn_setup(void) {
    rng_seed(&rng, 7);
    memset(&params, 0, sizeof params);
}

static void nn_teardown(void) {
    tape_reset();
    parameters_free(&params);
}

// Allocates the table and fills it with values larger than the model's N(0, 0.02),
// so that finite differences see well-conditioned functions (gains stay near 1).
static void allocate_for_test(float std) {
    parameters_allocate(&params);
    parameters_init(&params, &rng);
    for (int i = 0; i < params.count; i++) {
        Parameter *p = params.items[i];
        for (long j = 0; j < p->tensor.size; j++)
            p->tensor.data[j] = (p->init == INIT_ONES ? 1.0f : 0.0f) + rng_normal(&rng, 0.0f, std);
    }
}

// inputs = [x, every parameter of the table]
static int gather_inputs(Tensor **inputs, Tensor *x) {
    int n = 0;
    if (x != NULL) inputs[n++] = x;
    for (int i = 0; i < params.count; i++) inputs[n++] = &params.items[i]->tensor;
    return n;
}

static Linear test_linear;
static LayerNorm test_ln;
static MaskedSelfAttention test_attn;
static FeedForward test_ffn;
static DecoderBlock test_block;
static Embedding test_embedding;
static const int test_tokens[] = {3, 1, 4, 1, 5, 0};  // [2, 3], token 1 repeated

static Tensor *f_linear(Tensor **in, void *c) { (void)c; return linear(&test_linear, in[0]); }
static Tensor *f_layer_norm(Tensor **in, void *c) { (void)c; return layer_norm(&test_ln, in[0]); }
static Tensor *f_attention(Tensor **in, void *c) { (void)c; return masked_self_attention(&test_attn, in[0]); }
static Tensor *f_ffn(Tensor **in, void *c) { (void)c; return feed_forward(&test_ffn, in[0]); }
static Tensor *f_block(Tensor **in, void *c) { (void)c; return decoder_block(&test_block, in[0]); }
static Tensor *f_embed(Tensor **in, void *c) { (void)in, (void)c; return embed(&test_embedding, test_tokens, 2, 3); }
static Tensor *f_lm_head(Tensor **in, void *c) {
    (void)c;
    return lm_head_probabilities(lm_head_logits(&test_embedding, in[0]));
}

START_TEST(test_grad_linear_and_layer_norm) {
    linear_create(&test_linear, &params, "fc", 5, 3);
    layer_norm_create(&test_ln, &params, "ln", 3);
    allocate_for_test(0.5f);
    Tensor *inputs[8];
    Tensor *x = random_input("x", shape3(2, 3, 5), &rng, 1);
    inputs[0] = x, inputs[1] = test_linear.weight, inputs[2] = test_linear.bias;
    assert_gradcheck("linear", f_linear, NULL, inputs, 3);
    Tensor *y = random_input("y", shape2(4, 3), &rng, 1);
    inputs[0] = y, inputs[1] = test_ln.gain, inputs[2] = test_ln.bias;
    assert_gradcheck("layer_norm", f_layer_norm, NULL, inputs, 3);
}
END_TEST

START_TEST(test_grad_embedding_and_lm_head) {
    embedding_create(&test_embedding, &params, 7, 4, 3);
    allocate_for_test(0.5f);
    Tensor *inputs[8];
    int n = gather_inputs(inputs, NULL);
    assert_gradcheck("embed", f_embed, NULL, inputs, n);
    n = gather_inputs(inputs, random_input("h", shape3(2, 3, 3), &rng, 1));
    assert_gradcheck("lm_head", f_lm_head, NULL, inputs, n);
}
END_TEST

START_TEST(test_grad_attention) {
    attention_create(&test_attn, &params, "attn", 6, 2);
    allocate_for_test(0.4f);
    Tensor *inputs[8];
    int n = gather_inputs(inputs, random_input("x", shape3(2, 4, 6), &rng, 1));
    assert_gradcheck("masked_self_attention", f_attention, NULL, inputs, n);
}
END_TEST

START_TEST(test_grad_feed_forward) {
    feed_forward_create(&test_ffn, &params, "mlp", 4, 8, ACTIVATION_GELU);
    allocate_for_test(0.5f);
    Tensor *inputs[8];
    int n = gather_inputs(inputs, random_input("x", shape3(1, 3, 4), &rng, 1));
    assert_gradcheck("feed_forward gelu", f_ffn, NULL, inputs, n);
    test_ffn.activation = ACTIVATION_RELU;  // this seed keeps every pre-activation away from the kink
    assert_gradcheck("feed_forward relu", f_ffn, NULL, inputs, n);
}
END_TEST

START_TEST(test_grad_decoder_block) {
    BlockShape shape = {.d = 6, .n_heads = 3, .d_ff = 12, .activation = ACTIVATION_GELU};
    decoder_block_create(&test_block, &params, "blocks.0", shape, NULL);
    allocate_for_test(0.3f);
    Tensor *inputs[GRADCHECK_MAX_INPUTS];
    int n = gather_inputs(inputs, random_input("x", shape3(2, 3, 6), &rng, 1));
    ck_assert_int_eq(n, 13);  // x and 12 parameters
    assert_gradcheck("decoder_block", f_block, NULL, inputs, n);
}
END_TEST

START_TEST(test_parameter_names) {
    BlockShape shape = {.d = 6, .n_heads = 3, .d_ff = 12, .activation = ACTIVATION_RELU};
    decoder_block_create(&test_block, &params, "blocks.3", shape, NULL);
    allocate_for_test(0.02f);
    const char *expected[] = {"blocks.3.attn.c_attn.weight", "blocks.3.attn.c_attn.bias", "blocks.3.attn.c_proj.weight",
                              "blocks.3.attn.c_proj.bias",   "blocks.3.ln_1.weight",      "blocks.3.ln_1.bias",
                              "blocks.3.mlp.c_fc.weight",    "blocks.3.mlp.c_fc.bias",    "blocks.3.mlp.c_proj.weight",
                              "blocks.3.mlp.c_proj.bias",    "blocks.3.ln_2.weight",      "blocks.3.ln_2.bias"};
    ck_assert_int_eq(params.count, 12);
    for (int i = 0; i < 12; i++) ck_assert_str_eq(params.items[i]->tensor.name, expected[i]);
    ck_assert_ptr_eq(parameter_find(&params, "blocks.3.mlp.c_fc.weight"), test_block.mlp.c_fc.weight);
    ck_assert_int_eq(params.total, 6 * 18 + 18 + 36 + 6 + 12 + 6 * 12 + 12 + 12 * 6 + 6 + 12);
    // one buffer: the parameters follow each other in table order
    ck_assert_ptr_eq(test_block.attn.c_attn.bias->data, test_block.attn.c_attn.weight->data + 6 * 18);
}
END_TEST

// Changing the input at position t must leave every output before t bit-for-bit
// unchanged, and must change the output at t (so the test can fail).
static void assert_causal(Tensor *(*f)(Tensor *), Tensor *x, int t_changed) {
    int seq = x->shape.dims[1], d = x->shape.dims[2];
    Tensor *before = f(x);
    Tensor *changed = tensor_from_array(step_arena(), "x2", x->shape, x->data);
    for (int b = 0; b < x->shape.dims[0]; b++)
        for (int j = 0; j < d; j++) changed->data[((long)b * seq + t_changed) * d + j] += 1.0f + (float)j;
    Tensor *after = f(changed);
    int out_d = tensor_cols(before);
    for (int b = 0; b < x->shape.dims[0]; b++) {
        long row = (long)b * seq * out_d;
        ck_assert_int_eq(memcmp(before->data + row, after->data + row, sizeof(float) * (size_t)(t_changed * out_d)), 0);
        ck_assert_int_ne(memcmp(before->data + row + (long)t_changed * out_d, after->data + row + (long)t_changed * out_d,
                                sizeof(float) * (size_t)out_d),
                         0);
    }
}

static Tensor *apply_attention(Tensor *x) { return masked_self_attention(&test_attn, x); }
static Tensor *apply_block(Tensor *x) { return decoder_block(&test_block, x); }

START_TEST(test_causality) {
    attention_create(&test_attn, &params, "attn", 8, 2);
    BlockShape shape = {.d = 8, .n_heads = 2, .d_ff = 16, .activation = ACTIVATION_RELU};
    decoder_block_create(&test_block, &params, "blocks.0", shape, NULL);
    allocate_for_test(0.3f);
    Tensor *x = tensor_normal(step_arena(), "x", shape3(2, 7, 8), &rng, 0.0f, 1.0f);
    for (int t = 0; t < 7; t++) {
        assert_causal(apply_attention, x, t);
        assert_causal(apply_block, x, t);
    }
}
END_TEST

START_TEST(test_attention_weights) {
    attention_create(&test_attn, &params, "attn", 8, 4);
    allocate_for_test(0.5f);
    Tensor *x = tensor_normal(step_arena(), "x", shape3(2, 5, 8), &rng, 0.0f, 1.0f);
    masked_self_attention(&test_attn, x);
    Tensor *w = test_attn.last_weights;
    ck_assert_int_eq(w->shape.ndim, 4);
    ck_assert_int_eq(w->shape.dims[1], 4);
    for (long row = 0; row < tensor_rows(w); row++) {
        int i = (int)(row % 5);  // the query position
        double total = 0;
        for (int j = 0; j < 5; j++) {
            float v = w->data[row * 5 + j];
            if (j > i) ck_assert_float_eq(v, 0.0f);  // exactly 0: the mask is -inf before the softmax
            total += v;
        }
        ck_assert_double_eq_tol(total, 1.0, 1e-6);
    }
}
END_TEST

// One head, Q = K = V = X (identity projections, zero biases), W_O = I, d = 2:
// x = (1,0), (0,1), (1,1). Row 1 weighs x0, x1 by softmax(0, 1/√2), and so on.
START_TEST(test_attention_hand_computed) {
    attention_create(&test_attn, &params, "attn", 2, 1);
    parameters_allocate(&params);  // all zeros
    for (int i = 0; i < 2; i++)
        for (int part = 0; part < 3; part++) test_attn.c_attn.weight->data[i * 6 + part * 2 + i] = 1.0f;
    test_attn.c_proj.weight->data[0] = test_attn.c_proj.weight->data[3] = 1.0f;
    float xv[] = {1, 0, 0, 1, 1, 1};
    Tensor *x = tensor_from_array(step_arena(), "x", shape3(1, 3, 2), xv);
    Tensor *y = masked_self_attention(&test_attn, x);
    float expected[] = {1.0f, 0.0f, 0.33023845f, 0.66976155f, 0.75174492f, 0.75174492f};
    assert_close(y->data, expected, 6, 1e-6f, "attention output");
    float weights[] = {1, 0, 0, 0.33023845f, 0.66976155f, 0, 0.24825508f, 0.24825508f, 0.50348984f};
    assert_close(test_attn.last_weights->data, weights, 9, 1e-6f, "attention weights");
}
END_TEST

// W is [in, out] = [3, 2], row-major: y = x·W + b.
// (1, 1, 1)·W = (1+3+5, 2+4+6) = (9, 12), + b = (10, 11);
// (1, 0, −1)·W = (1−5, 2−6) = (−4, −4), + b = (−3, −5).
START_TEST(test_linear_known_values) {
    linear_create(&test_linear, &params, "fc", 3, 2);
    parameters_allocate(&params);
    float w[] = {1, 2, 3, 4, 5, 6}, b[] = {1, -1};
    memcpy(test_linear.weight->data, w, sizeof w);
    memcpy(test_linear.bias->data, b, sizeof b);
    float xv[] = {1, 1, 1, 1, 0, -1};
    Tensor *y = linear(&test_linear, tensor_from_array(step_arena(), "x", shape2(2, 3), xv));
    ck_assert_int_eq(y->shape.ndim, 2);
    ck_assert_int_eq(y->shape.dims[1], 2);
    float expected[] = {10, 11, -3, -5};
    assert_close(y->data, expected, 4, 0.0f, "linear");
}
END_TEST

// d = 2, d_ff = 3. x = (1, −1), W1 = [[1,0,2],[0,1,1]], b1 = (0, 0.5, 0):
// x·W1 + b1 = (1, −0.5, 1). W2 = [[1,2],[3,4],[5,6]], b2 = (0.5, −0.5).
// ReLU: (1, 0, 1)·W2 + b2 = (1+5, 2+6) + b2 = (6.5, 7.5).
// GELU (tanh form): GELU(1) = 0.841192, GELU(−0.5) = −0.154286, so
// (0.841192 − 3·0.154286 + 5·0.841192 + 0.5, 2·0.841192 − 4·0.154286 + 6·0.841192 − 0.5)
// = (5.084294, 5.612392).
START_TEST(test_feed_forward_known_values) {
    feed_forward_create(&test_ffn, &params, "mlp", 2, 3, ACTIVATION_RELU);
    parameters_allocate(&params);
    float w1[] = {1, 0, 2, 0, 1, 1}, b1[] = {0, 0.5f, 0}, w2[] = {1, 2, 3, 4, 5, 6}, b2[] = {0.5f, -0.5f};
    memcpy(test_ffn.c_fc.weight->data, w1, sizeof w1);
    memcpy(test_ffn.c_fc.bias->data, b1, sizeof b1);
    memcpy(test_ffn.c_proj.weight->data, w2, sizeof w2);
    memcpy(test_ffn.c_proj.bias->data, b2, sizeof b2);
    float xv[] = {1, -1};
    Tensor *x = tensor_from_array(step_arena(), "x", shape3(1, 1, 2), xv);
    float relu_expected[] = {6.5f, 7.5f};
    assert_close(feed_forward(&test_ffn, x)->data, relu_expected, 2, 1e-6f, "FFN with ReLU");
    test_ffn.activation = ACTIVATION_GELU;
    float gelu_expected[] = {5.0842940f, 5.6123920f};
    assert_close(feed_forward(&test_ffn, x)->data, gelu_expected, 2, 1e-5f, "FFN with GELU");
}
END_TEST

// logits = h·Weᵀ with We = [[1,0],[0,1],[1,−1]] (vocab 3, d 2):
// h = (2, 3) -> (2, 3, −1); h = (−1, 0.5) -> (−1, 0.5, −1.5).
START_TEST(test_lm_head_known_values) {
    embedding_create(&test_embedding, &params, 3, 2, 2);
    parameters_allocate(&params);
    float we[] = {1, 0, 0, 1, 1, -1};
    memcpy(test_embedding.tokens->data, we, sizeof we);
    float hv[] = {2, 3, -1, 0.5f};
    Tensor *logits = lm_head_logits(&test_embedding, tensor_from_array(step_arena(), "h", shape3(1, 2, 2), hv));
    ck_assert_int_eq(logits->shape.dims[2], 3);
    float expected[] = {2, 3, -1, -1, 0.5f, -1.5f};
    assert_close(logits->data, expected, 6, 0.0f, "logits");
}
END_TEST

// y = gain ⊙ (x − mean)/√(var + 1e-5) + bias over one row of d values, in double precision.
static void reference_layer_norm(double *y, const double *x, const float *gain, const float *bias, int d) {
    double mean = 0, var = 0;
    for (int j = 0; j < d; j++) mean += x[j];
    mean /= d;
    for (int j = 0; j < d; j++) var += (x[j] - mean) * (x[j] - mean);
    var /= d;
    for (int j = 0; j < d; j++) y[j] = gain[j] * (x[j] - mean) / sqrt(var + 1e-5) + bias[j];
}

// A block on sequences of one token: the only weight the softmax can give is 1, so the
// attention output is V·W_O + b_O with V = x·W_V + b_V (columns 2d..3d of c_attn),
// whatever Q and K are. The rest of the block is written out below in double precision:
// x1 = LN1(x + attn), y = LN2(x1 + ReLU(x1·W1 + b1)·W2 + b2).
START_TEST(test_decoder_block_known_values) {
    enum { D = 4, DFF = 3, ROWS = 2 };
    BlockShape shape = {.d = D, .n_heads = 2, .d_ff = DFF, .activation = ACTIVATION_RELU};
    decoder_block_create(&test_block, &params, "blocks.0", shape, NULL);
    allocate_for_test(0.5f);  // every weight, bias and gain random
    Tensor *x = tensor_normal(step_arena(), "x", shape3(ROWS, 1, D), &rng, 0.0f, 1.0f);
    Tensor *y = decoder_block(&test_block, x);
    const float *wc = test_block.attn.c_attn.weight->data, *bc = test_block.attn.c_attn.bias->data;
    const float *wo = test_block.attn.c_proj.weight->data, *bo = test_block.attn.c_proj.bias->data;
    const float *w1 = test_block.mlp.c_fc.weight->data, *b1 = test_block.mlp.c_fc.bias->data;
    const float *w2 = test_block.mlp.c_proj.weight->data, *b2 = test_block.mlp.c_proj.bias->data;
    for (int r = 0; r < ROWS; r++) {
        const float *xr = x->data + r * D;
        double v[D], r1[D], x1[D], hidden[DFF], r2[D], expected[D];
        for (int j = 0; j < D; j++) {
            v[j] = bc[2 * D + j];
            for (int i = 0; i < D; i++) v[j] += xr[i] * (double)wc[i * 3 * D + 2 * D + j];
        }
        for (int j = 0; j < D; j++) {
            r1[j] = xr[j] + (double)bo[j];
            for (int i = 0; i < D; i++) r1[j] += v[i] * wo[i * D + j];
        }
        reference_layer_norm(x1, r1, test_block.ln_1.gain->data, test_block.ln_1.bias->data, D);
        for (int j = 0; j < DFF; j++) {
            hidden[j] = b1[j];
            for (int i = 0; i < D; i++) hidden[j] += x1[i] * w1[i * DFF + j];
            if (hidden[j] < 0) hidden[j] = 0;
        }
        for (int j = 0; j < D; j++) {
            r2[j] = x1[j] + b2[j];
            for (int i = 0; i < DFF; i++) r2[j] += hidden[i] * w2[i * D + j];
        }
        reference_layer_norm(expected, r2, test_block.ln_2.gain->data, test_block.ln_2.bias->data, D);
        for (int j = 0; j < D; j++) ck_assert_double_eq_tol(y->data[r * D + j], expected[j], 1e-5);
    }
    ck_assert_float_eq(test_block.attn.last_weights->data[0], 1.0f);
}
END_TEST

START_TEST(test_layer_norm_statistics) {
    layer_norm_create(&test_ln, &params, "ln", 16);
    parameters_allocate(&params);
    parameters_init(&params, &rng);  // gain 1, bias 0
    Tensor *x = tensor_normal(step_arena(), "x", shape2(5, 16), &rng, 3.0f, 2.5f);
    Tensor *y = layer_norm(&test_ln, x);
    for (int r = 0; r < 5; r++) {
        double m = 0, v = 0;
        for (int j = 0; j < 16; j++) m += y->data[r * 16 + j];
        m /= 16;
        for (int j = 0; j < 16; j++) v += (y->data[r * 16 + j] - m) * (y->data[r * 16 + j] - m);
        ck_assert_double_eq_tol(m, 0.0, 1e-6);
        ck_assert_double_eq_tol(v / 16, 1.0, 1e-4);  // 1 − eps/var
    }
    float known[] = {1, 2, 3, 4}, expected[] = {-1.34163542f, -0.44721181f, 0.44721181f, 1.34163542f};
    LayerNorm small;
    ParameterTable p2 = {0};
    layer_norm_create(&small, &p2, "ln", 4);
    parameters_allocate(&p2);
    parameters_init(&p2, &rng);
    Tensor *k = layer_norm(&small, tensor_from_array(step_arena(), "k", shape1(4), known));
    assert_close(k->data, expected, 4, 1e-6f, "LN([1,2,3,4])");
    parameters_free(&p2);
}
END_TEST

// The embedding and the output head share We, so its gradient must equal the sum of
// the gradients two untied copies would receive.
START_TEST(test_tied_head_gradient) {
    embedding_create(&test_embedding, &params, 7, 4, 3);
    allocate_for_test(0.5f);
    Tensor *we = test_embedding.tokens;
    Tensor *copy = tensor_from_array(NULL, "we_out", we->shape, we->data);
    copy->grad = calloc((size_t)copy->size, sizeof(float));
    copy->requires_grad = true;
    Embedding output_only = {.tokens = copy, .positions = test_embedding.positions};
    int targets[] = {1, 4, 1, 5, 0, 2};

    parameters_zero_grad(&params);
    backward(cross_entropy(lm_head_logits(&test_embedding, embed(&test_embedding, test_tokens, 2, 3)), targets));
    float *tied = malloc(sizeof(float) * (size_t)we->size);
    memcpy(tied, we->grad, sizeof(float) * (size_t)we->size);

    parameters_zero_grad(&params);
    backward(cross_entropy(lm_head_logits(&output_only, embed(&test_embedding, test_tokens, 2, 3)), targets));
    for (long i = 0; i < we->size; i++) {
        ck_assert_float_eq_tol(tied[i], we->grad[i] + copy->grad[i], 1e-6f);
        ck_assert(we->grad[i] != 0.0f || copy->grad[i] != 0.0f || tied[i] == 0.0f);
    }
    double output_path = 0;
    for (long i = 0; i < we->size; i++) output_path += fabsf(copy->grad[i]);
    ck_assert_double_gt(output_path, 1e-3);  // both paths really contribute
    free(tied);
    tensor_free(copy);
}
END_TEST

START_TEST(test_embedding_known_values) {
    embedding_create(&test_embedding, &params, 7, 4, 3);
    allocate_for_test(1.0f);
    Tensor *h = embed(&test_embedding, test_tokens, 2, 3);
    for (int b = 0; b < 2; b++)
        for (int t = 0; t < 3; t++)
            for (int j = 0; j < 3; j++)
                ck_assert_float_eq(h->data[(b * 3 + t) * 3 + j], test_embedding.tokens->data[test_tokens[b * 3 + t] * 3 + j] +
                                                                     test_embedding.positions->data[t * 3 + j]);
    // The tape in the same order whatever the compiler: the token lookup (wte), the
    // position lookup (wpe), their sum. As two arguments of add() the two lookups would
    // come in the order the compiler evaluates arguments (gcc: right to left).
    ck_assert_int_eq(the_tape.n_nodes, 3);
    Node *sum_node = the_tape.last, *positions = sum_node->prev, *tokens = positions->prev;
    ck_assert_ptr_eq(tokens->inputs[0], test_embedding.tokens);
    ck_assert_ptr_eq(positions->inputs[0], test_embedding.positions);
    ck_assert_int_eq(tokens->index, 0);
    ck_assert_ptr_eq(sum_node->inputs[0], tokens->out);
}
END_TEST

START_TEST(test_embedding_rejects_bad_ids) {
    embedding_create(&test_embedding, &params, 7, 4, 3);
    allocate_for_test(1.0f);
    int bad[] = {0, 7};
    embed(&test_embedding, bad, 1, 2);
}
END_TEST

START_TEST(test_embedding_rejects_long_sequence) {
    embedding_create(&test_embedding, &params, 7, 4, 3);
    allocate_for_test(1.0f);
    int tokens[5] = {0};
    embed(&test_embedding, tokens, 1, 5);
}
END_TEST

START_TEST(test_dropout_modes) {
    Tensor *x = tensor_filled(step_arena(), "x", shape2(100, 100), 2.0f);
    Dropout eval = {.p = 0.1f, .rng = NULL};
    ck_assert_ptr_eq(apply_dropout(&eval, x), x);  // evaluation: the identity
    Rng r1, r2;
    rng_seed(&r1, 5);
    rng_seed(&r2, 5);
    Dropout train1 = {.p = 0.1f, .rng = &r1}, train2 = {.p = 0.1f, .rng = &r2};
    Tensor *a = apply_dropout(&train1, x), *b = apply_dropout(&train2, x);
    ck_assert_int_eq(memcmp(a->data, b->data, sizeof(float) * (size_t)a->size), 0);  // same seed, same mask
    double total = 0;
    int zeros = 0;
    for (long i = 0; i < a->size; i++) total += a->data[i], zeros += a->data[i] == 0.0f;
    ck_assert_double_eq_tol(total / (double)a->size, 2.0, 0.02);  // survivors scaled by 1/(1 − p)
    ck_assert_int_gt(zeros, 900);
    ck_assert_int_lt(zeros, 1100);
}
END_TEST

// Post-LN: the block ends with LayerNorm, so with gain 1 and bias 0 every output row
// has mean 0 and variance 1. A pre-LN block (x + FFN(LN(x))) would not.
START_TEST(test_block_is_post_ln) {
    BlockShape shape = {.d = 8, .n_heads = 2, .d_ff = 16, .activation = ACTIVATION_RELU};
    decoder_block_create(&test_block, &params, "blocks.0", shape, NULL);
    parameters_allocate(&params);
    parameters_init(&params, &rng);
    Tensor *x = tensor_normal(step_arena(), "x", shape3(1, 4, 8), &rng, 5.0f, 3.0f);
    Tensor *y = decoder_block(&test_block, x);
    for (int r = 0; r < 4; r++) {
        double m = 0, v = 0;
        for (int j = 0; j < 8; j++) m += y->data[r * 8 + j];
        m /= 8;
        for (int j = 0; j < 8; j++) v += (y->data[r * 8 + j] - m) * (y->data[r * 8 + j] - m);
        ck_assert_double_eq_tol(m, 0.0, 1e-5);
        ck_assert_double_eq_tol(v / 8, 1.0, 1e-3);
    }
}
END_TEST

Suite *nn_suite(void) {
    Suite *s = suite_create("nn");
    TCase *tc = tcase_create("modules");
    tcase_add_checked_fixture(tc, nn_setup, nn_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_grad_linear_and_layer_norm);
    tcase_add_test(tc, test_grad_embedding_and_lm_head);
    tcase_add_test(tc, test_grad_attention);
    tcase_add_test(tc, test_grad_feed_forward);
    tcase_add_test(tc, test_grad_decoder_block);
    tcase_add_test(tc, test_parameter_names);
    tcase_add_test(tc, test_causality);
    tcase_add_test(tc, test_attention_weights);
    tcase_add_test(tc, test_attention_hand_computed);
    tcase_add_test(tc, test_linear_known_values);
    tcase_add_test(tc, test_feed_forward_known_values);
    tcase_add_test(tc, test_lm_head_known_values);
    tcase_add_test(tc, test_decoder_block_known_values);
    tcase_add_test(tc, test_layer_norm_statistics);
    tcase_add_test(tc, test_tied_head_gradient);
    tcase_add_test(tc, test_embedding_known_values);
    tcase_add_test_raise_signal(tc, test_embedding_rejects_bad_ids, SIGABRT);
    tcase_add_test_raise_signal(tc, test_embedding_rejects_long_sequence, SIGABRT);
    tcase_add_test(tc, test_dropout_modes);
    tcase_add_test(tc, test_block_is_post_ln);
    suite_add_tcase(s, tc);
    return s;
}
