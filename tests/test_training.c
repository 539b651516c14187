// The training loop's arithmetic outside the tape, with exact expected values: the
// gradient norm and clipping, the SGD update, the learning-rate schedule, and the
// windows batch_sample draws for next-token prediction.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/sgd.h"
#include "gpt/text_data.h"
#include "tests/helpers.h"

// One parameter θ = {1, 2} with the gradient g = {3, 4}: |g| = 5.
static ParameterTable two_values(void) {
    ParameterTable table = {0};
    parameter_add(&table, "theta", shape1(2), INIT_ZEROS);
    parameters_allocate(&table);
    table.data[0] = 1.0f, table.data[1] = 2.0f;
    table.grad[0] = 3.0f, table.grad[1] = 4.0f;
    return table;
}

START_TEST(test_gradient_norm_is_the_l2_norm) {
    ParameterTable table = two_values();
    ck_assert_double_eq_tol(gradient_norm(&table), 5.0, 1e-12);
    parameters_free(&table);
}
END_TEST

START_TEST(test_clip_leaves_a_small_gradient) {
    ParameterTable table = two_values();
    clip_gradients(&table, 10.0f);
    ck_assert_float_eq(table.grad[0], 3.0f);
    ck_assert_float_eq(table.grad[1], 4.0f);
    clip_gradients(&table, 5.0f);  // exactly at the limit: unchanged
    ck_assert_float_eq(table.grad[0], 3.0f);
    clip_gradients(&table, 0.0f);  // 0 is "off", as in SgdOptions: not a clip to norm 0
    ck_assert_float_eq(table.grad[0], 3.0f);
    ck_assert_float_eq(table.grad[1], 4.0f);
    parameters_free(&table);
}
END_TEST

START_TEST(test_clip_scales_to_the_limit) {
    ParameterTable table = two_values();
    clip_gradients(&table, 1.0f);  // g · 1/5 = {0.6, 0.8}: the direction kept, the norm 1
    ck_assert_float_eq_tol(table.grad[0], 0.6f, 1e-7f);
    ck_assert_float_eq_tol(table.grad[1], 0.8f, 1e-7f);
    ck_assert_double_eq_tol(gradient_norm(&table), 1.0, 1e-6);
    parameters_free(&table);
}
END_TEST

// θ ← θ − η∇θ: {1, 2} − 0.5·{3, 4} = {−0.5, 0}; then the gradients are zero.
START_TEST(test_sgd_update_plain) {
    ParameterTable table = two_values();
    SgdOptions sgd = {.lr = 0.5f};
    sgd_update(&table, &sgd, sgd.lr);
    ck_assert_float_eq(table.data[0], -0.5f);
    ck_assert_float_eq(table.data[1], 0.0f);
    ck_assert_float_eq(table.grad[0], 0.0f);
    ck_assert_float_eq(table.grad[1], 0.0f);
    parameters_free(&table);
}
END_TEST

// Adam's first step moves every weight by about η against its gradient's sign (m̂ = g,
// v̂ = g²): {1, 2} − 0.1·{1, 1}. Its second, with g = {−1, 0.5}: m = 0.9·m + 0.1·g =
// {0.17, 0.41}, v = 0.999·v + 0.001·g² = {0.009991, 0.016234}, divided by 1 − 0.9² and
// 1 − 0.999²; x = {0.9 − 0.0400219, 1.9 − 0.0757223}. (Python, in float64.)
START_TEST(test_adam_update_known_values) {
    ParameterTable table = two_values();
    SgdOptions adam = {.optimizer = OPTIMIZER_ADAM, .lr = 0.1f};
    sgd_update(&table, &adam, adam.lr);
    ck_assert_float_eq_tol(table.data[0], 0.9f, 1e-6f);
    ck_assert_float_eq_tol(table.data[1], 1.9f, 1e-6f);
    ck_assert_float_eq(table.grad[0], 0.0f);
    ck_assert_int_eq(table.optimizer_steps, 1);
    table.grad[0] = -1.0f, table.grad[1] = 0.5f;
    sgd_update(&table, &adam, adam.lr);
    ck_assert_float_eq_tol(table.moment1[0], 0.17f, 1e-6f);
    ck_assert_float_eq_tol(table.moment2[1], 0.016234f, 1e-6f);  // 1 − 0.999f is 0.00099999 in float
    ck_assert_float_eq_tol(table.data[0], 0.8599781f, 1e-6f);
    ck_assert_float_eq_tol(table.data[1], 1.8242777f, 1e-6f);
    parameters_free(&table);
}
END_TEST

// Clipped at norm 1 first: {1, 2} − 0.5·{0.6, 0.8} = {0.7, 1.6}.
START_TEST(test_sgd_update_clipped) {
    ParameterTable table = two_values();
    SgdOptions sgd = {.lr = 0.5f, .clip_norm = 1.0f};
    sgd_update(&table, &sgd, sgd.lr);
    ck_assert_float_eq_tol(table.data[0], 0.7f, 1e-7f);
    ck_assert_float_eq_tol(table.data[1], 1.6f, 1e-7f);
    ck_assert_float_eq(table.grad[0], 0.0f);
    parameters_free(&table);
}
END_TEST

START_TEST(test_learning_rate_constant) {
    SgdOptions o = {.lr = 0.3f};
    ck_assert_float_eq(learning_rate_at(&o, 0, 100), 0.3f);
    ck_assert_float_eq(learning_rate_at(&o, 50, 100), 0.3f);
    ck_assert_float_eq(learning_rate_at(&o, 99, 100), 0.3f);
}
END_TEST

// Warm-up over 4 steps: step s (0-based) gets lr·(s+1)/4, so the first step already moves.
START_TEST(test_learning_rate_warmup) {
    SgdOptions o = {.lr = 0.4f, .warmup_steps = 4};
    ck_assert_float_eq_tol(learning_rate_at(&o, 0, 100), 0.1f, 1e-7f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 1, 100), 0.2f, 1e-7f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 3, 100), 0.4f, 1e-7f);
    ck_assert_float_eq(learning_rate_at(&o, 4, 100), 0.4f);  // constant after the warm-up
    ck_assert_float_eq(learning_rate_at(&o, 99, 100), 0.4f);
}
END_TEST

// Linear decay over 100 steps: lr·(1 − s/100).
START_TEST(test_learning_rate_linear) {
    SgdOptions o = {.lr = 1.0f, .decay = LR_LINEAR};
    ck_assert_float_eq(learning_rate_at(&o, 0, 100), 1.0f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 25, 100), 0.75f, 1e-7f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 50, 100), 0.5f, 1e-7f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 99, 100), 0.01f, 1e-7f);
}
END_TEST

// Cosine decay: lr·½(1 + cos(π·s/S)): 1 at the start, ½(1 + √½) a quarter in, ½ halfway,
// ½(1 − √½) three quarters in.
START_TEST(test_learning_rate_cosine) {
    SgdOptions o = {.lr = 1.0f, .decay = LR_COSINE};
    ck_assert_float_eq(learning_rate_at(&o, 0, 100), 1.0f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 25, 100), (float)(0.5 * (1.0 + sqrt(0.5))), 1e-6f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 50, 100), 0.5f, 1e-6f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 75, 100), (float)(0.5 * (1.0 - sqrt(0.5))), 1e-6f);
}
END_TEST

// A warm-up given as a fraction of the training, as the paper's 0.2%: 0.002 of 1000
// steps is 2 steps; of 100 steps 0.2, which becomes 1 (a warm-up asked for is never 0);
// warmup_steps, when given, wins.
START_TEST(test_learning_rate_warmup_fraction) {
    SgdOptions o = {.lr = 1.0f, .warmup_fraction = 0.002f, .decay = LR_LINEAR};
    ck_assert_int_eq(warmup_steps_of(&o, 1000), 2);
    ck_assert_float_eq_tol(learning_rate_at(&o, 0, 1000), 0.5f, 1e-7f);
    ck_assert_float_eq(learning_rate_at(&o, 1, 1000), 1.0f);
    ck_assert_float_eq_tol(learning_rate_at(&o, 501, 1000), 0.5f, 1e-6f);  // then linear, over the 998 steps left
    ck_assert_int_eq(warmup_steps_of(&o, 100), 1);
    ck_assert_float_eq(learning_rate_at(&o, 0, 100), 1.0f);
    o.warmup_steps = 10;
    ck_assert_int_eq(warmup_steps_of(&o, 1000), 10);
    SgdOptions none = {.lr = 1.0f};
    ck_assert_int_eq(warmup_steps_of(&none, 1000), 0);
}
END_TEST

// Warm-up then decay: the decay spans the steps after the warm-up.
START_TEST(test_learning_rate_warmup_then_decay) {
    SgdOptions linear = {.lr = 1.0f, .warmup_steps = 10, .decay = LR_LINEAR};
    ck_assert_float_eq_tol(learning_rate_at(&linear, 4, 110), 0.5f, 1e-7f);
    ck_assert_float_eq(learning_rate_at(&linear, 10, 110), 1.0f);
    ck_assert_float_eq_tol(learning_rate_at(&linear, 60, 110), 0.5f, 1e-7f);
    SgdOptions cosine = {.lr = 1.0f, .warmup_steps = 10, .decay = LR_COSINE};
    ck_assert_float_eq(learning_rate_at(&cosine, 10, 110), 1.0f);
    ck_assert_float_eq_tol(learning_rate_at(&cosine, 60, 110), 0.5f, 1e-6f);
}
END_TEST

// Data whose ids are their own positions: a window's first input is its start.
static TokenSequence positions(long n) {
    TokenSequence data = {.ids = malloc(sizeof(int) * (size_t)n), .n = n};
    for (long i = 0; i < n; i++) data.ids[i] = (int)i;
    return data;
}

// Every row: inputs are seq consecutive ids, targets the same ids shifted by one.
START_TEST(test_batch_targets_are_inputs_shifted) {
    TokenSequence data = positions(50);
    Batch batch = batch_create(6, 7);
    Rng rng;
    rng_seed(&rng, 11);
    for (int draw = 0; draw < 20; draw++) {
        batch_sample(&batch, &data, &rng);
        for (int r = 0; r < batch.batch; r++) {
            const int *in = batch.inputs + r * batch.seq, *target = batch.targets + r * batch.seq;
            for (int t = 0; t < batch.seq; t++) {
                ck_assert_int_eq(in[t], in[0] + t);
                ck_assert_int_eq(target[t], in[t] + 1);
            }
        }
    }
    batch_free(&batch);
    free(data.ids);
}
END_TEST

// 10 ids and windows of 4 + 1: the starts are 0..5, and each one is drawn.
START_TEST(test_batch_starts_cover_every_window) {
    TokenSequence data = positions(10);
    Batch batch = batch_create(4, 4);
    Rng rng;
    rng_seed(&rng, 5);
    int seen[10] = {0};
    for (int draw = 0; draw < 100; draw++) {
        batch_sample(&batch, &data, &rng);
        for (int r = 0; r < batch.batch; r++) {
            int start = batch.inputs[r * batch.seq];
            ck_assert_int_ge(start, 0);
            ck_assert_int_le(start, 5);  // the last window is ids 5..9
            seen[start]++;
        }
    }
    for (int start = 0; start <= 5; start++) ck_assert_msg(seen[start] > 0, "start %d was never drawn", start);
    batch_free(&batch);
    free(data.ids);
}
END_TEST

Suite *training_suite(void) {
    Suite *s = suite_create("training");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_gradient_norm_is_the_l2_norm);
    tcase_add_test(tc, test_clip_leaves_a_small_gradient);
    tcase_add_test(tc, test_clip_scales_to_the_limit);
    tcase_add_test(tc, test_sgd_update_plain);
    tcase_add_test(tc, test_adam_update_known_values);
    tcase_add_test(tc, test_sgd_update_clipped);
    tcase_add_test(tc, test_learning_rate_constant);
    tcase_add_test(tc, test_learning_rate_warmup);
    tcase_add_test(tc, test_learning_rate_linear);
    tcase_add_test(tc, test_learning_rate_cosine);
    tcase_add_test(tc, test_learning_rate_warmup_then_decay);
    tcase_add_test(tc, test_learning_rate_warmup_fraction);
    tcase_add_test(tc, test_batch_targets_are_inputs_shifted);
    tcase_add_test(tc, test_batch_starts_cover_every_window);
    suite_add_tcase(s, tc);
    return s;
}
