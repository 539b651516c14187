// Grader of exercise 05: combined_loss's value, the cases without the auxiliary
// loss, and the gradients it sends back to L2 and L1. Each check runs in a child
// process (grade_run): a crash fails that check only.
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

typedef struct LossCase {
    float l2, l1, lambda;
    bool with_l1;
} LossCase;

static void l3_value(void *context) {
    const LossCase *c = context;
    Tensor *l2 = scalar("l2", c->l2), *l1 = c->with_l1 ? scalar("l1", c->l1) : NULL;
    Tensor *l3 = combined_loss(l2, l1, c->lambda);
    float expected = c->with_l1 ? c->l2 + c->lambda * c->l1 : c->l2;
    char what[128];
    snprintf(what, sizeof what, "L2 = %g, L1 = %s, λ = %g gives L3 = %g", c->l2, c->with_l1 ? "2" : "NULL", c->lambda,
             expected);
    if (!grade_true(l3 != NULL && l3->size == 1, l3 == NULL ? "it returns a tensor (not NULL)" : "L3 has one value"))
        return;
    if (!grade_close(what, l3->data, &expected, 1, 1e-6f)) grade_hint("L3 = L2 + λ·L1: λ weighs L1, not L2");
    bool off = !c->with_l1 || c->lambda == 0.0f;
    if (off && !grade_true(l3 == l2, "with the auxiliary loss off it returns l2 itself, no op"))
        grade_hint("when l1 == NULL or lambda == 0, return l2");
}

static void l3_gradients(void *context) {
    (void)context;
    Tensor *l2 = scalar("l2", 0.7f), *l1 = scalar("l1", 2.0f);
    Tensor *l3 = combined_loss(l2, l1, 0.5f);
    if (!grade_true(l3 != NULL && l3->requires_grad, "L3 is recorded on the tape (built from ops)")) {
        grade_hint("build L3 from the ops add and scale, so that backward() can run through it");
        return;
    }
    backward(l3);
    float expected[2] = {1.0f, 0.5f}, got[2] = {l2->grad[0], l1->grad[0]};
    grade_close("backward(L3): dL3/dL2 = 1 and dL3/dL1 = λ = 0.5", got, expected, 2, 1e-6f);
}

int main(void) {
    grade_begin("exercise 05, combined_loss");
    const char *crashed = "a tensor was NULL when your code used it: is l1 NULL (the auxiliary loss off)? "
                          "Or is your result NULL?";
    LossCase with = {0.7f, 2.0f, 0.5f, true}, lambda_zero = {0.7f, 2.0f, 0.0f, true}, no_l1 = {0.7f, 0.0f, 0.5f, false};
    if (grade_run("L2 = 0.7, L1 = 2, λ = 0.5", crashed, l3_value, &with)) {
        grade_run("λ = 0", crashed, l3_value, &lambda_zero);
        grade_run("l1 == NULL", "l1 was NULL (the auxiliary loss is off): check it before using it, and return l2",
                  l3_value, &no_l1);
        grade_run("the gradients", crashed, l3_gradients, NULL);
    }
    tape_free();
    return grade_end();
}
