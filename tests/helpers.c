#include "tests/helpers.h"

#include <math.h>
#include <stdio.h>

#include "autograd/tape.h"

Tensor *random_input(const char *name, Shape shape, Rng *rng, float std) {
    Tensor *t = tensor_normal(step_arena(), name, shape, rng, 0.0f, std);
    requires_grad(t);
    return t;
}

void assert_gradcheck(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs) {
    assert_gradcheck_with(title, f, context, inputs, n_inputs, NULL);
}

void assert_gradcheck_with(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs,
                           const GradcheckOptions *options) {
    GradcheckResult result = gradcheck(f, context, inputs, n_inputs, options);
    if (!result.passed) gradcheck_print(title, &result);
    for (int k = 0; k < result.n_inputs; k++) {
        const GradcheckInputReport *r = &result.inputs[k];
        ck_assert_msg(r->passed, "%s: gradient of '%s' wrong at element %ld: analytic %.6g, numeric %.6g", title,
                      r->name, r->worst_index, r->analytic, r->numeric);
    }
}

void assert_close(const float *actual, const float *expected, long n, float tolerance, const char *what) {
    for (long i = 0; i < n; i++)
        ck_assert_msg(fabsf(actual[i] - expected[i]) <= tolerance, "%s[%ld]: got %.7g, expected %.7g", what, i,
                      (double)actual[i], (double)expected[i]);
}
