// A finite-difference gradient check for every differentiable op in autograd/ops.h,
// on odd shapes (1, 3, 7, ...), and a proof that the checker catches a wrong backward.
#include <math.h>
#include <signal.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"
#include "tests/helpers.h"

static Rng rng;
static void ops_setup(void) { rng_seed(&rng, 2024); }
static void ops_teardown(void) { tape_reset(); }

static Tensor *f_matmul(Tensor **in, void *c) { (void)c; return matmul(in[0], in[1]); }
static Tensor *f_matmul_t(Tensor **in, void *c) { (void)c; return matmul_transposed(in[0], in[1]); }

START_TEST(test_grad_matmul) {
    Tensor *shared[] = {random_input("a", shape3(2, 3, 7), &rng, 1), random_input("w", shape2(7, 5), &rng, 1)};
    assert_gradcheck("matmul shared", f_matmul, NULL, shared, 2);
    Tensor *batched[] = {random_input("a", shape4(2, 3, 1, 7), &rng, 1), random_input("b", shape4(2, 3, 7, 3), &rng, 1)};
    assert_gradcheck("matmul batched", f_matmul, NULL, batched, 2);
    Tensor *tiny[] = {random_input("a", shape2(1, 1), &rng, 1), random_input("b", shape2(1, 3), &rng, 1)};
    assert_gradcheck("matmul 1x1", f_matmul, NULL, tiny, 2);
}
END_TEST

// One weight in two products, (x·W)·W and x·Wᵀ·Wᵀ: its gradient is the sum of both
// (the tied We is such a weight: the embedding and the output head).
static Tensor *f_matmul_twice(Tensor **in, void *c) { (void)c; return matmul(matmul(in[0], in[1]), in[1]); }
static Tensor *f_matmul_t_twice(Tensor **in, void *c) {
    (void)c;
    return matmul_transposed(matmul_transposed(in[0], in[1]), in[1]);
}

START_TEST(test_grad_weight_used_twice) {
    Tensor *in[] = {random_input("x", shape2(3, 4), &rng, 1), random_input("w", shape2(4, 4), &rng, 1)};
    assert_gradcheck("matmul twice", f_matmul_twice, NULL, in, 2);
    assert_gradcheck("matmul_transposed twice", f_matmul_t_twice, NULL, in, 2);
}
END_TEST

START_TEST(test_grad_matmul_transposed) {
    Tensor *shared[] = {random_input("a", shape2(3, 7), &rng, 1), random_input("w", shape2(5, 7), &rng, 1)};
    assert_gradcheck("matmul_transposed shared", f_matmul_t, NULL, shared, 2);
    Tensor *batched[] = {random_input("q", shape3(2, 3, 4), &rng, 1), random_input("k", shape3(2, 7, 4), &rng, 1)};
    assert_gradcheck("matmul_transposed batched", f_matmul_t, NULL, batched, 2);
}
END_TEST

static Tensor *f_add(Tensor **in, void *c) { (void)c; return add(in[0], in[1]); }
static Tensor *f_mul(Tensor **in, void *c) { (void)c; return mul(in[0], in[1]); }
static Tensor *f_scale(Tensor **in, void *c) { (void)c; return scale(in[0], -1.7f); }

START_TEST(test_grad_add_mul_scale) {
    Tensor *same[] = {random_input("a", shape2(3, 7), &rng, 1), random_input("b", shape2(3, 7), &rng, 1)};
    assert_gradcheck("add", f_add, NULL, same, 2);
    assert_gradcheck("mul", f_mul, NULL, same, 2);
    Tensor *bias[] = {random_input("x", shape3(2, 3, 7), &rng, 1), random_input("bias", shape1(7), &rng, 1)};
    assert_gradcheck("add bias", f_add, NULL, bias, 2);
    Tensor *rows[] = {random_input("x", shape3(2, 3, 7), &rng, 1), random_input("pos", shape2(3, 7), &rng, 1)};
    assert_gradcheck("add rows", f_add, NULL, rows, 2);
    Tensor *one[] = {random_input("x", shape1(1), &rng, 1)};
    assert_gradcheck("scale", f_scale, NULL, one, 1);
}
END_TEST

static Tensor *f_relu(Tensor **in, void *c) { (void)c; return relu(in[0]); }
static Tensor *f_gelu(Tensor **in, void *c) { (void)c; return gelu(in[0]); }

START_TEST(test_grad_activations) {
    Tensor *x = random_input("x", shape2(3, 7), &rng, 1);
    for (long i = 0; i < x->size; i++) x->data[i] += x->data[i] > 0 ? 0.1f : -0.1f;  // away from relu's kink
    assert_gradcheck("relu", f_relu, NULL, &x, 1);
    Tensor *g = random_input("x", shape3(1, 3, 7), &rng, 2);
    assert_gradcheck("gelu", f_gelu, NULL, &g, 1);
}
END_TEST

static Tensor *f_softmax(Tensor **in, void *c) { (void)c; return softmax(in[0]); }
static Tensor *f_log_softmax(Tensor **in, void *c) { (void)c; return log_softmax(in[0]); }
static Tensor *f_layer_norm_op(Tensor **in, void *c) { (void)c; return layer_norm_op(in[0], in[1], in[2]); }

START_TEST(test_grad_softmax_and_layer_norm) {
    Tensor *x = random_input("x", shape2(3, 7), &rng, 2);
    assert_gradcheck("softmax", f_softmax, NULL, &x, 1);
    assert_gradcheck("log_softmax", f_log_softmax, NULL, &x, 1);
    Tensor *single = random_input("x", shape2(3, 1), &rng, 1);
    assert_gradcheck("softmax of one column", f_softmax, NULL, &single, 1);
    Tensor *ln[] = {random_input("x", shape3(2, 3, 7), &rng, 1), random_input("gain", shape1(7), &rng, 0.5f),
                    random_input("bias", shape1(7), &rng, 0.5f)};
    for (int i = 0; i < 7; i++) ln[1]->data[i] += 1.0f;
    assert_gradcheck("layer_norm", f_layer_norm_op, NULL, ln, 3);
}
END_TEST

static const int gather_ids[] = {4, 0, 4, 6, 1, 4};  // a repeated id must receive the sum of its gradients
static Tensor *f_gather(Tensor **in, void *c) { (void)c; return gather_rows(in[0], gather_ids, shape2(2, 3)); }

START_TEST(test_grad_gather_rows) {
    Tensor *table = random_input("table", shape2(7, 3), &rng, 1);
    assert_gradcheck("gather_rows", f_gather, NULL, &table, 1);
}
END_TEST

static Tensor *f_mask(Tensor **in, void *c) { (void)c; return causal_mask(in[0]); }
static Tensor *f_masked_softmax(Tensor **in, void *c) { (void)c; return softmax(causal_mask(in[0])); }
static Tensor *f_split(Tensor **in, void *c) { (void)c; return split_heads(in[0], 3); }
static Tensor *f_merge(Tensor **in, void *c) { (void)c; return merge_heads(in[0]); }
static Tensor *f_transpose(Tensor **in, void *c) { (void)c; return transpose(in[0]); }
static Tensor *f_columns(Tensor **in, void *c) { (void)c; return columns(in[0], 2, 3); }
static Tensor *f_concat(Tensor **in, void *c) { (void)c; return concat(in[0], in[1]); }
static Tensor *f_reshape(Tensor **in, void *c) { (void)c; return softmax(reshape(in[0], shape2(7, 3))); }

START_TEST(test_grad_shape_ops) {
    Tensor *scores = random_input("scores", shape3(2, 7, 7), &rng, 1);
    assert_gradcheck("causal_mask", f_mask, NULL, &scores, 1);
    assert_gradcheck("softmax(causal_mask)", f_masked_softmax, NULL, &scores, 1);
    // t = 5 tokens, 3 heads: a backward that swapped t and heads would not fit
    Tensor *x = random_input("x", shape3(2, 5, 6), &rng, 1);
    assert_gradcheck("split_heads", f_split, NULL, &x, 1);
    Tensor *h = random_input("h", shape4(2, 3, 5, 2), &rng, 1);
    assert_gradcheck("merge_heads", f_merge, NULL, &h, 1);
    Tensor *t = random_input("t", shape3(2, 3, 7), &rng, 1);
    assert_gradcheck("transpose", f_transpose, NULL, &t, 1);
    assert_gradcheck("columns", f_columns, NULL, &t, 1);
    Tensor *pair[] = {random_input("a", shape2(3, 1), &rng, 1), random_input("b", shape2(3, 7), &rng, 1)};
    assert_gradcheck("concat", f_concat, NULL, pair, 2);
    Tensor *r = random_input("r", shape3(3, 7, 1), &rng, 1);
    assert_gradcheck("reshape", f_reshape, NULL, &r, 1);
}
END_TEST

static const int ce_targets[] = {3, CROSS_ENTROPY_IGNORE, 0, 6, 6};
static const float se_targets[] = {0.5f, -1.0f, 2.0f, 0.0f, 3.0f, 1.0f, -2.0f};
static Tensor *f_sum(Tensor **in, void *c) { (void)c; return sum(in[0]); }
static Tensor *f_mean(Tensor **in, void *c) { (void)c; return mean(in[0]); }
static Tensor *f_cross_entropy(Tensor **in, void *c) { (void)c; return cross_entropy(in[0], ce_targets); }
static Tensor *f_squared_error(Tensor **in, void *c) { (void)c; return squared_error(in[0], se_targets); }

START_TEST(test_grad_reductions_and_losses) {
    Tensor *x = random_input("x", shape2(1, 7), &rng, 1);
    assert_gradcheck("sum", f_sum, NULL, &x, 1);
    assert_gradcheck("mean", f_mean, NULL, &x, 1);
    assert_gradcheck("squared_error", f_squared_error, NULL, &x, 1);
    Tensor *logits = random_input("logits", shape2(5, 7), &rng, 2);
    assert_gradcheck("cross_entropy", f_cross_entropy, NULL, &logits, 1);
}
END_TEST

// Each call re-seeds, so that every evaluation drops the same units.
static Tensor *f_dropout(Tensor **in, void *c) {
    Rng *r = c;
    rng_seed(r, 99);
    return dropout(in[0], 0.3f, r);
}

START_TEST(test_grad_dropout) {
    Rng dropout_rng;
    Tensor *x = random_input("x", shape2(3, 7), &rng, 1);
    assert_gradcheck("dropout", f_dropout, &dropout_rng, &x, 1);
}
END_TEST

// A "scale by 2" op whose backward forgets the factor: the checker must notice.
// forward: out = 2x, so dx += 2·dout; this backward adds dout only
static void double_wrongly_node_backward(Node *node) {
    for (long i = 0; i < node->out->size; i++) node->inputs[0]->grad[i] += node->out->grad[i];
}

static const OpInfo DOUBLE_WRONGLY = {.name = "double_wrongly", .backward = double_wrongly_node_backward};

static Tensor *f_wrong(Tensor **in, void *c) {
    (void)c;
    Tensor *out = op_output(&DOUBLE_WRONGLY, in[0]->shape);
    for (long i = 0; i < out->size; i++) out->data[i] = 2.0f * in[0]->data[i];
    record(&DOUBLE_WRONGLY, out, in[0], NULL, NULL);
    return out;
}

START_TEST(test_gradcheck_catches_wrong_backward) {
    Tensor *x = random_input("x", shape2(3, 7), &rng, 1);
    GradcheckResult result = gradcheck(f_wrong, NULL, &x, 1, NULL);
    ck_assert(!result.passed);
    ck_assert(!result.inputs[0].passed);
    ck_assert_double_eq_tol(result.inputs[0].numeric, 2.0 * result.inputs[0].analytic, 1e-2);
    // and passes the same op once its backward is right
    assert_gradcheck("scale by 2", f_scale, NULL, &x, 1);
}
END_TEST

START_TEST(test_matmul_shape_mismatch_aborts) {
    Tensor *a = random_input("a", shape2(2, 3), &rng, 1), *b = random_input("b", shape2(4, 5), &rng, 1);
    matmul(a, b);
}
END_TEST

START_TEST(test_add_shape_mismatch_aborts) {
    Tensor *a = random_input("a", shape2(2, 3), &rng, 1), *b = random_input("b", shape1(2), &rng, 1);
    add(a, b);
}
END_TEST

START_TEST(test_gather_out_of_range_aborts) {
    Tensor *table = random_input("table", shape2(3, 2), &rng, 1);
    int ids[] = {0, 3};
    gather_rows(table, ids, shape1(2));
}
END_TEST

Suite *ops_suite(void) {
    Suite *s = suite_create("ops");
    TCase *tc = tcase_create("gradients");
    tcase_add_checked_fixture(tc, ops_setup, ops_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_grad_matmul);
    tcase_add_test(tc, test_grad_matmul_transposed);
    tcase_add_test(tc, test_grad_weight_used_twice);
    tcase_add_test(tc, test_grad_add_mul_scale);
    tcase_add_test(tc, test_grad_activations);
    tcase_add_test(tc, test_grad_softmax_and_layer_norm);
    tcase_add_test(tc, test_grad_gather_rows);
    tcase_add_test(tc, test_grad_shape_ops);
    tcase_add_test(tc, test_grad_reductions_and_losses);
    tcase_add_test(tc, test_grad_dropout);
    tcase_add_test(tc, test_gradcheck_catches_wrong_backward);
    suite_add_tcase(s, tc);
    TCase *errors = tcase_create("shape errors");
    tcase_add_checked_fixture(errors, ops_setup, ops_teardown);
    tcase_add_test_raise_signal(errors, test_matmul_shape_mismatch_aborts, SIGABRT);
    tcase_add_test_raise_signal(errors, test_add_shape_mismatch_aborts, SIGABRT);
    tcase_add_test_raise_signal(errors, test_gather_out_of_range_aborts, SIGABRT);
    suite_add_tcase(s, errors);
    return s;
}
