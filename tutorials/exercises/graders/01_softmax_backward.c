// Grader of exercise 01: softmax_backward on values worked out by hand, accumulation,
// several rows, a masked entry, and the gradient checker through the softmax op.
// Each check runs in a child process (grade_run): a crash fails that check only.
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"
#include "tutorials/exercises/graders/grade.h"

// One row, x = (1, 2, 3), dout = (1, 0, 0): dx_i = out_0·(δ_0i − out_i).
static void one_row_by_hand(float *out, float *expected) {
    float x[3] = {1, 2, 3};
    softmax_forward(out, x, 1, 3);
    expected[0] = out[0] * (1 - out[0]), expected[1] = -out[0] * out[1], expected[2] = -out[0] * out[2];
}

static void softmax_one_row(void *context) {
    (void)context;
    float out[3], expected[3], dout[3] = {1, 0, 0}, dx[3] = {0, 0, 0};
    one_row_by_hand(out, expected);
    softmax_backward(dx, dout, out, 1, 3);
    if (!grade_close("one row, dout = (1, 0, 0)", dx, expected, 3, 1e-6f))
        grade_hint("with dout = (1, 0, 0) only j = 0 counts: dx_i = out_0·(δ_0i − out_i), so dx_0 = out_0·(1 − out_0) "
                   "and the others are negative");
}

static void softmax_accumulates(void *context) {
    (void)context;
    float out[3], expected[3], dout[3] = {1, 0, 0}, dx[3] = {1, 1, 1};
    one_row_by_hand(out, expected);
    for (int i = 0; i < 3; i++) expected[i] += 1;
    softmax_backward(dx, dout, out, 1, 3);
    if (!grade_close("it adds to dx (+=) instead of overwriting it", dx, expected, 3, 1e-6f))
        grade_hint("dx arrives holding 1, 1, 1 here: add your gradient to it, do not assign");
}

// Two rows: the second is the first with its dout on the last column.
static void softmax_two_rows(void *context) {
    (void)context;
    float out[3], expected[3];
    one_row_by_hand(out, expected);
    float x2[6] = {1, 2, 3, 1, 2, 3}, out2[6], dout2[6] = {1, 0, 0, 0, 0, 1}, dx2[6] = {0};
    softmax_forward(out2, x2, 2, 3);
    softmax_backward(dx2, dout2, out2, 2, 3);
    float expected2[6] = {expected[0], expected[1], expected[2], -out[2] * out[0], -out[2] * out[1],
                          out[2] * (1 - out[2])};
    if (!grade_close("two rows, each on its own", dx2, expected2, 6, 1e-6f))
        grade_hint("every row has its own sum over j; row r starts at element r·cols");
}

static void softmax_masked_entry(void *context) {
    (void)context;
    float xm[3] = {0.5f, -INFINITY, 1.0f}, outm[3], doutm[3] = {0.3f, 0.7f, -0.2f}, dxm[3] = {0};
    softmax_forward(outm, xm, 1, 3);
    softmax_backward(dxm, doutm, outm, 1, 3);
    float dot = doutm[0] * outm[0] + doutm[2] * outm[2];
    float expectedm[3] = {outm[0] * (doutm[0] - dot), 0.0f, outm[2] * (doutm[2] - dot)};
    grade_close("a masked entry (-inf, so out = 0) gets no gradient", dxm, expectedm, 3, 1e-6f);
}

static Tensor *f_graded_softmax(Tensor **in, void *context) {
    (void)context;
    return softmax(in[0]);
}

static void softmax_gradient_check(void *context) {
    (void)context;
    Rng rng;
    rng_seed(&rng, 1);
    Tensor *input = tensor_normal(step_arena(), "x", shape2(3, 7), &rng, 0.0f, 2.0f);
    requires_grad(input);
    grade_gradients("the softmax op on [3, 7]", f_graded_softmax, NULL, &input, 1);
}

int main(void) {
    grade_begin("exercise 01, softmax_backward");
    const char *bounds = "do you read or write outside the rows·cols elements of the arrays?";
    grade_run("one row", bounds, softmax_one_row, NULL);
    grade_run("accumulation", bounds, softmax_accumulates, NULL);
    grade_run("two rows", bounds, softmax_two_rows, NULL);
    grade_run("a masked entry", bounds, softmax_masked_entry, NULL);
    grade_run("the softmax op", bounds, softmax_gradient_check, NULL);
    tape_free();
    return grade_end();
}
