// Grader of exercise 01: softmax_backward on values worked out by hand, accumulation,
// several rows, a masked entry, and the gradient checker through the softmax op.
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"
#include "tutorials/exercises/graders/grade.h"

static Tensor *f_graded_softmax(Tensor **in, void *context) {
    (void)context;
    return softmax(in[0]);
}

int main(void) {
    grade_begin("exercise 01, softmax_backward");
    // One row, x = (1, 2, 3), dout = (1, 0, 0): dx_i = out_0·(δ_0i − out_i).
    float x[3] = {1, 2, 3}, out[3], dout[3] = {1, 0, 0}, dx[3] = {0, 0, 0};
    softmax_forward(out, x, 1, 3);
    float expected[3] = {out[0] * (1 - out[0]), -out[0] * out[1], -out[0] * out[2]};
    softmax_backward(dx, dout, out, 1, 3);
    grade_close("one row, dout = (1, 0, 0)", dx, expected, 3, 1e-6f);

    float dx_prefilled[3] = {1, 1, 1}, expected_plus_one[3];
    for (int i = 0; i < 3; i++) expected_plus_one[i] = expected[i] + 1;
    softmax_backward(dx_prefilled, dout, out, 1, 3);
    grade_close("it adds to dx (+=) instead of overwriting it", dx_prefilled, expected_plus_one, 3, 1e-6f);

    // Two rows: the second is the first with its dout on the last column.
    float x2[6] = {1, 2, 3, 1, 2, 3}, out2[6], dout2[6] = {1, 0, 0, 0, 0, 1}, dx2[6] = {0};
    softmax_forward(out2, x2, 2, 3);
    softmax_backward(dx2, dout2, out2, 2, 3);
    float expected2[6] = {expected[0], expected[1], expected[2], -out[2] * out[0], -out[2] * out[1],
                          out[2] * (1 - out[2])};
    grade_close("two rows, each on its own", dx2, expected2, 6, 1e-6f);

    float xm[3] = {0.5f, -INFINITY, 1.0f}, outm[3], doutm[3] = {0.3f, 0.7f, -0.2f}, dxm[3] = {0};
    softmax_forward(outm, xm, 1, 3);
    softmax_backward(dxm, doutm, outm, 1, 3);
    float dot = doutm[0] * outm[0] + doutm[2] * outm[2];
    float expectedm[3] = {outm[0] * (doutm[0] - dot), 0.0f, outm[2] * (doutm[2] - dot)};
    grade_close("a masked entry (-inf, so out = 0) gets no gradient", dxm, expectedm, 3, 1e-6f);

    Rng rng;
    rng_seed(&rng, 1);
    Tensor *input = tensor_normal(step_arena(), "x", shape2(3, 7), &rng, 0.0f, 2.0f);
    requires_grad(input);
    grade_gradients("the softmax op on [3, 7]", f_graded_softmax, NULL, &input, 1);
    tape_free();
    return grade_end();
}
