// Grader of exercise 04: scaled_dot_product_attention on a case worked out by hand,
// the shape of its weights, causality, and the gradient checker for q, k and v.
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/attention.h"
#include "tutorials/exercises/graders/grade.h"

// One head, Q = K = V = x with x = (1,0), (0,1), (1,1). Row 1 weighs x0 and x1 by
// softmax(0, 1/√2); row 2 weighs x0, x1, x2 by softmax(1/√2, 1/√2, 2/√2).
static bool hand_computed(void) {
    float xv[] = {1, 0, 0, 1, 1, 1};
    Tensor *x = tensor_from_array(step_arena(), "x", shape4(1, 1, 3, 2), xv);
    Tensor *weights = NULL;
    Tensor *y = scaled_dot_product_attention(x, x, x, NULL, &weights);
    if (!grade_true(y != NULL && weights != NULL, "it returns the result and stores the weights in *weights"))
        return false;
    if (!grade_true(shape_equal(y->shape, x->shape) && shape_equal(weights->shape, shape4(1, 1, 3, 3)),
                    "the result is [1, 1, 3, 2] and the weights [1, 1, 3, 3]"))
        return false;
    float expected_w[] = {1, 0, 0, 0.33023845f, 0.66976155f, 0, 0.24825508f, 0.24825508f, 0.50348984f};
    float expected_y[] = {1.0f, 0.0f, 0.33023845f, 0.66976155f, 0.75174492f, 0.75174492f};
    grade_close("the weights of the hand-computed case", weights->data, expected_w, 9, 1e-6f);
    grade_close("the result of the hand-computed case", y->data, expected_y, 6, 1e-6f);
    return true;
}

// Changing k and v at the last position must leave the earlier outputs unchanged.
static void attention_causality(Rng *rng) {
    Tensor *q = tensor_normal(step_arena(), "q", shape4(2, 2, 5, 4), rng, 0.0f, 1.0f);
    Tensor *k = tensor_normal(step_arena(), "k", shape4(2, 2, 5, 4), rng, 0.0f, 1.0f);
    Tensor *v = tensor_normal(step_arena(), "v", shape4(2, 2, 5, 4), rng, 0.0f, 1.0f);
    Tensor *weights;
    Tensor *before = scaled_dot_product_attention(q, k, v, NULL, &weights);
    bool rows_ok = true;
    for (long row = 0; row < tensor_rows(weights); row++) {
        double total = 0;
        for (int j = 0; j < 5; j++) total += weights->data[row * 5 + j];
        for (int j = (int)(row % 5) + 1; j < 5; j++) rows_ok &= weights->data[row * 5 + j] == 0.0f;
        rows_ok &= fabs(total - 1.0) < 1e-5;
    }
    grade_true(rows_ok, "every row of weights sums to 1 and is exactly 0 above the diagonal");
    for (long s = 0; s < 4; s++)  // every (sequence, head) pair: position 4 is the last row
        for (int j = 0; j < 4; j++) k->data[(s * 5 + 4) * 4 + j] += 1.0f, v->data[(s * 5 + 4) * 4 + j] -= 1.0f;
    Tensor *after = scaled_dot_product_attention(q, k, v, NULL, &weights);
    bool unchanged = true;
    for (long s = 0; s < 4; s++) unchanged &= memcmp(before->data + s * 20, after->data + s * 20, sizeof(float) * 16) == 0;
    grade_true(unchanged, "causality: changing k and v at position 4 leaves the outputs at 0-3 unchanged");
}

static Tensor *f_graded_attention(Tensor **in, void *context) {
    (void)context;
    Tensor *weights;
    return scaled_dot_product_attention(in[0], in[1], in[2], NULL, &weights);
}

int main(void) {
    grade_begin("exercise 04, scaled_dot_product_attention");
    if (hand_computed()) {
        Rng rng;
        rng_seed(&rng, 4);
        attention_causality(&rng);
        Tensor *in[3];
        const char *names[3] = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            in[i] = tensor_normal(step_arena(), names[i], shape4(1, 2, 4, 3), &rng, 0.0f, 1.0f);
            requires_grad(in[i]);
        }
        // backward() needs the result on the tape: built from ops, not by hand
        if (grade_true(f_graded_attention(in, NULL)->requires_grad,
                       "the result is recorded on the tape (built from ops)"))
            grade_gradients("q, k and v of [1, 2, 4, 3]", f_graded_attention, NULL, in, 3);
    }
    tape_free();
    return grade_end();
}
