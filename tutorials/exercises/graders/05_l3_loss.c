// Grader of exercise 05: combined_loss's value, the cases without the auxiliary
// loss, and the gradients it sends back to L2 and L1.
#include <math.h>
#include <stdio.h>

#include "autograd/tape.h"
#include "gpt/task_heads.h"
#include "tutorials/exercises/graders/grade.h"

static Tensor *scalar(const char *name, float value) {
    Tensor *t = tensor_filled(step_arena(), name, shape1(1), value);
    requires_grad(t);
    return t;
}

static bool value(float l2_value, float l1_value, float lambda, bool with_l1) {
    Tensor *l2 = scalar("l2", l2_value), *l1 = with_l1 ? scalar("l1", l1_value) : NULL;
    Tensor *l3 = combined_loss(l2, l1, lambda);
    char what[128];
    snprintf(what, sizeof what, "L2 = %g, L1 = %s, λ = %g gives L3 = %g", l2_value, with_l1 ? "2" : "NULL", lambda,
             with_l1 ? l2_value + lambda * l1_value : l2_value);
    if (!grade_true(l3 != NULL && l3->size == 1, l3 == NULL ? "it returns a tensor (not NULL)" : "L3 has one value"))
        return false;
    float expected = with_l1 ? l2_value + lambda * l1_value : l2_value;
    return grade_close(what, l3->data, &expected, 1, 1e-6f);
}

static void gradients(void) {
    Tensor *l2 = scalar("l2", 0.7f), *l1 = scalar("l1", 2.0f);
    Tensor *l3 = combined_loss(l2, l1, 0.5f);
    if (!grade_true(l3->requires_grad, "L3 is recorded on the tape (built from ops)")) return;
    backward(l3);
    float expected[2] = {1.0f, 0.5f}, got[2] = {l2->grad[0], l1->grad[0]};
    grade_close("backward(L3): dL3/dL2 = 1 and dL3/dL1 = λ = 0.5", got, expected, 2, 1e-6f);
}

int main(void) {
    grade_begin("exercise 05, combined_loss");
    if (value(0.7f, 2.0f, 0.5f, true)) {
        value(0.7f, 2.0f, 0.0f, true);
        value(0.7f, 0.0f, 0.5f, false);
        gradients();
    }
    tape_free();
    return grade_end();
}
