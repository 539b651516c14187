// Grader of exercise 03: the mask on two 3 × 3 matrices written out by hand, its
// backward, accumulation, the gradient checker through softmax(mask(x)), and the
// causality test of a whole attention layer built on your mask. Each check runs in a
// child process (grade_run): a crash fails that check only.
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/attention.h"
#include "tensor/kernels.h"
#include "tutorials/exercises/graders/grade.h"

static const float MASKED_BY_HAND[18] = {1,  -INFINITY, -INFINITY, 4,  5,  -INFINITY, 7,  8,  9,
                                         10, -INFINITY, -INFINITY, 13, 14, -INFINITY, 16, 17, 18};

static void mask_forward_by_hand(void *context) {
    (void)context;
    float x[18], out[18];
    for (int i = 0; i < 18; i++) x[i] = (float)(i + 1), out[i] = 0.0f;
    causal_mask_forward(out, x, 2, 3);
    if (!grade_close("forward: two 3 × 3 matrices, -inf above each diagonal", out, MASKED_BY_HAND, 18, 0.0f))
        grade_hint("entry (i, j) of matrix b is at (b·t + i)·t + j; j > i becomes -INFINITY, the rest is copied");
}

static void mask_backward_by_hand(void *context) {
    (void)context;
    float dout[18], dx[18], expected_dx[18];
    for (int i = 0; i < 18; i++) {
        dout[i] = 0.5f * (float)(i + 1), dx[i] = 1.0f;
        expected_dx[i] = 1.0f + (isinf(MASKED_BY_HAND[i]) ? 0.0f : dout[i]);
    }
    causal_mask_backward(dx, dout, 2, 3);
    if (!grade_close("backward: kept scores pass dout on (added to dx), masked ones nothing", dx, expected_dx, 18,
                     0.0f))
        grade_hint("dx arrives holding 1 everywhere: add dout where j <= i, add nothing where j > i");
}

static Tensor *f_graded_masked_softmax(Tensor **in, void *context) {
    (void)context;
    return softmax(causal_mask(in[0]));
}

static void mask_gradient_check(void *context) {
    Rng *rng = context;
    Tensor *scores = tensor_normal(step_arena(), "scores", shape3(2, 4, 4), rng, 0.0f, 1.0f);
    requires_grad(scores);
    grade_gradients("softmax(causal_mask(x)) on [2, 4, 4]", f_graded_masked_softmax, NULL, &scores, 1);
}

// Changing the input at the last position must leave every earlier output of the
// attention layer bit-for-bit unchanged.
static void mask_causality(void *context) {
    Rng *rng = context;
    ParameterTable params = {0};
    MaskedSelfAttention attn;
    attention_create(&attn, &params, "attn", 8, 2);
    parameters_allocate(&params);
    parameters_init(&params, rng);
    Tensor *x = tensor_normal(step_arena(), "x", shape3(1, 5, 8), rng, 0.0f, 1.0f);
    Tensor *before = masked_self_attention(&attn, x);
    for (int j = 0; j < 8; j++) x->data[4 * 8 + j] += 1.0f;
    Tensor *after = masked_self_attention(&attn, x);
    grade_true(memcmp(before->data, after->data, sizeof(float) * 4 * 8) == 0,
               "causality: changing position 4 leaves the attention outputs at 0-3 unchanged");
    parameters_free(&params);
}

int main(void) {
    grade_begin("exercise 03, causal_mask_forward and causal_mask_backward");
    const char *bounds = "do you read or write outside the batches·t·t elements?";
    bool forward_ok = grade_run("forward", bounds, mask_forward_by_hand, NULL);
    grade_run("backward", bounds, mask_backward_by_hand, NULL);
    Rng rng;
    rng_seed(&rng, 3);
    if (forward_ok)  // finite differences of a wrong forward pass prove nothing
        grade_run("softmax(causal_mask(x))", bounds, mask_gradient_check, &rng);
    else
        grade_true(false, "softmax(causal_mask(x)): the gradient check waits for a correct forward pass");
    grade_run("causality", bounds, mask_causality, &rng);
    tape_free();
    return grade_end();
}
