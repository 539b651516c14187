#include "autograd/gradcheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "tensor/rng.h"

const GradcheckOptions GRADCHECK_DEFAULTS = {.epsilon = 1e-3, .abs_tol = 1e-3, .rel_tol = 1e-2, .seed = 1234};

// L = Σ w_i·y_i over the finite outputs (a masked score of −inf has weight 0).
static double weighted_output(GradcheckFunction f, void *context, Tensor **inputs, const double *w) {
    TapeMark mark = tape_mark();
    Tensor *y = f(inputs, context);
    double total = 0.0;
    for (long i = 0; i < y->size; i++)
        if (w[i] != 0.0) total += w[i] * (double)y->data[i];
    tape_rewind(mark);
    return total;
}

// Runs f once with gradients on, seeds dL/dy = w, and copies every input's gradient.
static double *analytic_gradients(GradcheckFunction f, void *context, Tensor **inputs, int n_inputs,
                                  double **weights, unsigned long seed) {
    long total = 0;
    for (int k = 0; k < n_inputs; k++) {
        if (!inputs[k]->requires_grad || inputs[k]->grad == NULL) {
            fprintf(stderr, "gradcheck: input '%s' does not require a gradient\n", inputs[k]->name);
            abort();
        }
        memset(inputs[k]->grad, 0, sizeof(float) * (size_t)inputs[k]->size);
        total += inputs[k]->size;
    }
    TapeMark mark = tape_mark();
    bool previous = set_grad_enabled(true);
    Tensor *y = f(inputs, context);
    Rng rng;
    rng_seed(&rng, seed);
    double *w = malloc(sizeof(double) * (size_t)y->size);
    float *seed_grad = malloc(sizeof(float) * (size_t)y->size);
    for (long i = 0; i < y->size; i++) {
        w[i] = isfinite(y->data[i]) ? 2.0 * rng_uniform(&rng) - 1.0 : 0.0;
        seed_grad[i] = (float)w[i];
    }
    backward_from(y, seed_grad);
    double *grads = malloc(sizeof(double) * (size_t)total);
    for (long k = 0, at = 0; k < n_inputs; at += inputs[k]->size, k++)
        for (long i = 0; i < inputs[k]->size; i++) grads[at + i] = inputs[k]->grad[i];
    set_grad_enabled(previous);
    tape_rewind(mark);
    free(seed_grad);
    *weights = w;
    return grads;
}

static GradcheckInputReport check_input(GradcheckFunction f, void *context, Tensor **inputs, Tensor *x,
                                        const double *analytic, const double *w, const GradcheckOptions *o) {
    GradcheckInputReport r = {.elements = x->size, .worst_index = -1, .passed = true};
    snprintf(r.name, sizeof r.name, "%s", x->name);
    double worst_ratio = -1.0;
    for (long i = 0; i < x->size; i++) {
        float saved = x->data[i];
        x->data[i] = (float)(saved + o->epsilon);
        double plus = weighted_output(f, context, inputs, w);
        x->data[i] = (float)(saved - o->epsilon);
        double minus = weighted_output(f, context, inputs, w);
        x->data[i] = saved;
        double numeric = (plus - minus) / (2.0 * o->epsilon);
        double error = fabs(analytic[i] - numeric);
        double ratio = error / (o->abs_tol + o->rel_tol * fmax(fabs(analytic[i]), fabs(numeric)));
        if (error > r.max_abs_error) r.max_abs_error = error;
        if (ratio > worst_ratio || isnan(ratio)) {
            worst_ratio = isnan(ratio) ? INFINITY : ratio;
            r.worst_index = i;
            r.analytic = analytic[i];
            r.numeric = numeric;
        }
    }
    r.passed = worst_ratio <= 1.0;
    return r;
}

GradcheckResult gradcheck(GradcheckFunction f, void *context, Tensor **inputs, int n_inputs,
                          const GradcheckOptions *options) {
    const GradcheckOptions *o = options ? options : &GRADCHECK_DEFAULTS;
    GradcheckResult result = {.passed = true, .n_inputs = n_inputs};
    if (n_inputs > GRADCHECK_MAX_INPUTS) {
        fprintf(stderr, "gradcheck: at most %d inputs\n", GRADCHECK_MAX_INPUTS);
        abort();
    }
    double *w = NULL;
    double *analytic = analytic_gradients(f, context, inputs, n_inputs, &w, o->seed);
    bool previous = set_grad_enabled(false);
    for (long k = 0, at = 0; k < n_inputs; at += inputs[k]->size, k++) {
        result.inputs[k] = check_input(f, context, inputs, inputs[k], analytic + at, w, o);
        result.passed &= result.inputs[k].passed;
    }
    set_grad_enabled(previous);
    free(analytic);
    free(w);
    return result;
}

void gradcheck_print(const char *title, const GradcheckResult *result) {
    printf("gradient check: %s\n", title);
    printf("  %-28s %8s %12s %12s %12s %7s\n", "input", "elements", "max |a-n|", "analytic", "numeric", "result");
    for (int k = 0; k < result->n_inputs; k++) {
        const GradcheckInputReport *r = &result->inputs[k];
        printf("  %-28s %8ld %12.3e %12.6f %12.6f %7s\n", r->name, r->elements, r->max_abs_error, r->analytic,
               r->numeric, r->passed ? "ok" : "FAILED");
    }
    fflush(stdout);
}
