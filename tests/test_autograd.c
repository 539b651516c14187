// autograd/: the tape, accumulation, no-grad mode, names, printing, memory.
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tests/helpers.h"

static void autograd_teardown(void) { tape_reset(); }

// y = Σ (x ⊙ a + x ⊙ b): x is used by two ops, so dy/dx = a + b, both contributions.
START_TEST(test_gradients_accumulate) {
    float xv[] = {1, 2, 3}, av[] = {4, 5, 6}, bv[] = {-1, 0.5f, 2};
    Tensor *x = tensor_from_array(step_arena(), "x", shape1(3), xv);
    Tensor *a = tensor_from_array(step_arena(), "a", shape1(3), av);
    Tensor *b = tensor_from_array(step_arena(), "b", shape1(3), bv);
    requires_grad(x);
    Tensor *y = sum(add(mul(x, a), mul(x, b)));
    ck_assert_float_eq(y->data[0], 4 + 10 + 18 - 1 + 1 + 6);
    backward(y);
    float expected[] = {3, 5.5f, 8};
    assert_close(x->grad, expected, 3, 0.0f, "dx");
    ck_assert_ptr_null(a->grad);  // a and b did not ask for gradients and got none
    // x + x: the same tensor twice in one op
    Tensor *z = sum(add(x, x));
    memset(x->grad, 0, sizeof(float) * 3);
    backward(z);
    float twos[] = {2, 2, 2};
    assert_close(x->grad, twos, 3, 0.0f, "d(x + x)/dx");
}
END_TEST

START_TEST(test_backward_needs_scalar) {
    Tensor *x = tensor_filled(step_arena(), "x", shape1(3), 1.0f);
    requires_grad(x);
    backward(scale(x, 2.0f));
}
END_TEST

START_TEST(test_no_grad_records_nothing) {
    Tensor *x = tensor_filled(step_arena(), "x", shape2(2, 3), 1.0f);
    requires_grad(x);
    bool previous = set_grad_enabled(false);
    Tensor *y = softmax(scale(x, 3.0f));
    set_grad_enabled(previous);
    ck_assert_int_eq(the_tape.n_nodes, 0);
    ck_assert(!y->requires_grad);
    Tensor *z = softmax(x);  // gradients on again
    ck_assert_int_eq(the_tape.n_nodes, 1);
    ck_assert(z->requires_grad);
    // an op whose inputs need no gradient records nothing either
    Tensor *c = tensor_filled(step_arena(), "c", shape1(2), 1.0f);
    relu(c);
    ck_assert_int_eq(the_tape.n_nodes, 1);
}
END_TEST

START_TEST(test_scopes_name_outputs) {
    Tensor *x = tensor_filled(step_arena(), "x", shape2(2, 3), 1.0f);
    scope_push("blocks.3");
    scope_push("attn");
    Tensor *y = softmax(x);
    scope_pop();
    Tensor *z = relu(y);
    scope_pop();
    Tensor *w = relu(z);
    ck_assert_str_eq(y->name, "blocks.3.attn.softmax");
    ck_assert_str_eq(z->name, "blocks.3.relu");
    ck_assert_str_eq(w->name, "relu");
}
END_TEST

static char *read_all(FILE *file) {
    rewind(file);
    static char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, file);
    text[n] = '\0';
    fclose(file);
    return text;
}

START_TEST(test_graph_print_and_dot) {
    Tensor *x = tensor_filled(step_arena(), "x", shape2(2, 3), 0.5f);
    Tensor *w = tensor_filled(step_arena(), "w", shape2(3, 4), 0.25f);
    requires_grad(w);
    Tensor *h = matmul(x, w);
    Tensor *loss = mean(relu(h));
    (void)loss;
    FILE *file = tmpfile();
    graph_fprint(file);
    char *text = read_all(file);
    ck_assert_ptr_nonnull(strstr(text, "graph: 3 nodes"));
    ck_assert_ptr_nonnull(strstr(text, "matmul"));
    ck_assert_ptr_nonnull(strstr(text, "[2,4]"));
    ck_assert_ptr_nonnull(strstr(text, "<- x w"));  // leaves by name
    ck_assert_ptr_nonnull(strstr(text, "<- 0"));    // relu reads node 0
    file = tmpfile();
    graph_write_dot(file);
    text = read_all(file);
    ck_assert_ptr_nonnull(strstr(text, "digraph autograd {"));
    ck_assert_ptr_nonnull(strstr(text, "n0 -> n1;"));
    ck_assert_ptr_nonnull(strstr(text, "n1 -> n2;"));
    ck_assert_ptr_nonnull(strstr(text, "\"w\" -> n0;"));
}
END_TEST

// A small training loop: build the graph, backward, update, reset. The arena must
// not grow after the first step: every step reuses the same memory.
START_TEST(test_memory_flat_over_steps) {
    Rng rng;
    rng_seed(&rng, 1);
    Tensor *w = tensor_normal(NULL, "w", shape2(16, 8), &rng, 0.0f, 0.1f);
    w->grad = calloc((size_t)w->size, sizeof(float));
    w->requires_grad = true;
    size_t reserved = 0, peak = 0;
    for (int step = 0; step < 200; step++) {
        Tensor *x = tensor_normal(step_arena(), "x", shape3(4, 5, 16), &rng, 0.0f, 1.0f);
        Tensor *loss = mean(softmax(matmul(x, w)));
        backward(loss);
        for (long i = 0; i < w->size; i++) w->data[i] -= 0.1f * w->grad[i], w->grad[i] = 0.0f;
        if (step == 0) reserved = step_arena()->reserved, peak = step_arena()->peak;
        ck_assert_uint_eq(step_arena()->reserved, reserved);
        ck_assert_uint_eq(step_arena()->peak, peak);
        tape_reset();
        ck_assert_int_eq(the_tape.n_nodes, 0);
    }
    tensor_free(w);
}
END_TEST

// y = mean(0.5 · 0.5 · ... · x), ten scales: dy/dx = 0.5¹⁰ / n. Each intermediate
// gradient is released once its scale has run backwards and serves the next one, so
// the backward pass adds two gradients of x's size to the arena, not ten; with
// set_keep_grads(true) it keeps all ten, with the same dy/dx.
static size_t backward_growth(bool keep, float *dx0) {
    enum { N = 1024, CHAIN = 10 };
    bool kept = set_keep_grads(keep);
    Tensor *x = tensor_filled(step_arena(), "x", shape1(N), 1.0f), *h = x, *chain[CHAIN];
    requires_grad(x);
    for (int i = 0; i < CHAIN; i++) h = chain[i] = scale(h, 0.5f);
    Tensor *loss = mean(h);
    size_t before = step_arena()->in_use;
    backward(loss);
    for (int i = 0; i < CHAIN; i++) ck_assert(keep == (chain[i]->grad != NULL));
    *dx0 = x->grad[0];
    size_t growth = step_arena()->in_use - before;
    tape_reset();
    set_keep_grads(kept);
    return growth;
}

START_TEST(test_backward_releases_intermediate_gradients) {
    float released_dx, kept_dx;
    size_t released = backward_growth(false, &released_dx), kept = backward_growth(true, &kept_dx);
    size_t one = 1024 * sizeof(float);
    ck_assert_float_eq(released_dx, 0x1p-10f / 1024);
    ck_assert_float_eq(kept_dx, released_dx);
    ck_assert_uint_le(released, 2 * one + 64);
    ck_assert_uint_ge(kept, 10 * one);
}
END_TEST

START_TEST(test_tape_rewind) {
    Tensor *x = tensor_filled(step_arena(), "x", shape1(4), 1.0f);
    requires_grad(x);
    TapeMark mark = tape_mark();
    relu(scale(x, 2.0f));
    ck_assert_int_eq(the_tape.n_nodes, 2);
    tape_rewind(mark);
    ck_assert_int_eq(the_tape.n_nodes, 0);
    ck_assert_ptr_null(the_tape.last);
    ck_assert_float_eq(x->data[3], 1.0f);  // made before the mark: still there
}
END_TEST

// The check-finite tests below end the process with exit(1), which the exit test sees,
// but any exit(1) would pass it. So stderr goes to a file first, and an atexit handler
// reads it back and turns the exit status into 3 unless every expected text is there.
static const char *stderr_path;
static const char *expected_texts[2];

static void require_expected_message(void) {
    fflush(stderr);
    char text[1024] = "";
    FILE *f = fopen(stderr_path, "r");
    if (f != NULL) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    remove(stderr_path);
    for (int i = 0; i < 2; i++)
        if (expected_texts[i] != NULL && strstr(text, expected_texts[i]) == NULL) _Exit(3);
}

static void expect_exit_message(const char *first, const char *second) {
    stderr_path = temp_file("check_finite_stderr.txt");
    expected_texts[0] = first;
    expected_texts[1] = second;
    ck_assert_ptr_nonnull(freopen(stderr_path, "w", stderr));
    atexit(require_expected_message);
}

// The causal mask writes -inf on purpose: with the check on, that is not an error.
START_TEST(test_check_finite_allows_the_mask) {
    bool previous = set_check_finite(true);
    Tensor *s = tensor_filled(step_arena(), "s", shape2(3, 3), 1.0f);
    requires_grad(s);
    Tensor *masked = causal_mask(s);
    ck_assert(isinf(masked->data[1]) && masked->data[1] < 0);  // row 0 may not see column 1
    Tensor *loss = sum(softmax(masked));
    ck_assert_float_eq_tol(loss->data[0], 3.0f, 1e-6f);
    backward(loss);  // the gradient through the mask is finite too
    ck_assert_int_eq(first_non_finite(s->grad, s->size), -1);
    set_check_finite(previous);
}
END_TEST

// −∞ is legal only in the output of an op whose description allows it (the mask's).
START_TEST(test_check_finite_names_the_op) {
    float v[] = {-1.0f, 1.0f};
    Tensor *x = tensor_from_array(step_arena(), "x", shape1(2), v);
    set_check_finite(true);
    Tensor *masked = causal_mask(tensor_filled(step_arena(), "s", shape2(3, 3), 1.0f));  // -inf on purpose: fine
    (void)masked;
    expect_exit_message("check-finite: op scale produced a non-finite value (-inf)", NULL);
    scale(x, INFINITY);  // the first non-finite value, -inf: exits with a message naming "scale"
}
END_TEST

// The forward is finite (1e-30 · 1e30 · 1e30 = 1e30) but dL/dx = 1e60 overflows float.
START_TEST(test_check_finite_names_the_backward) {
    float v[] = {1e-30f};
    Tensor *x = tensor_from_array(step_arena(), "x", shape1(1), v);
    requires_grad(x);
    set_check_finite(true);
    Tensor *loss = sum(scale(scale(x, 1e30f), 1e30f));
    ck_assert(isfinite(loss->data[0]));
    expect_exit_message("the backward of op scale", "'x'");
    backward(loss);  // exits naming the inner scale's backward and 'x'
}
END_TEST

Suite *autograd_suite(void) {
    Suite *s = suite_create("autograd");
    TCase *tc = tcase_create("tape");
    tcase_add_checked_fixture(tc, NULL, autograd_teardown);
    tcase_add_test(tc, test_gradients_accumulate);
    tcase_add_test_raise_signal(tc, test_backward_needs_scalar, SIGABRT);
    tcase_add_test(tc, test_no_grad_records_nothing);
    tcase_add_test(tc, test_scopes_name_outputs);
    tcase_add_test(tc, test_graph_print_and_dot);
    tcase_add_test(tc, test_memory_flat_over_steps);
    tcase_add_test(tc, test_backward_releases_intermediate_gradients);
    tcase_add_test(tc, test_tape_rewind);
    tcase_add_test(tc, test_check_finite_allows_the_mask);
    tcase_add_exit_test(tc, test_check_finite_names_the_op, EXIT_FAILURE);
    tcase_add_exit_test(tc, test_check_finite_names_the_backward, EXIT_FAILURE);
    suite_add_tcase(s, tc);
    return s;
}
