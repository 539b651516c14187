// Finite-difference gradient checking: the proof that an op's backward matches its
// forward. The output y = f(inputs) is reduced to L = Σ w_i·y_i with random weights w
// (a plain sum would be blind to errors that cancel, e.g. in softmax or LayerNorm),
// in double precision. For every element x of every input, the analytic dL/dx from
// backward() is compared with the central difference (L(x+ε) − L(x−ε)) / 2ε.
#ifndef GPT1_GRADCHECK_H
#define GPT1_GRADCHECK_H

#include <stdbool.h>

#include "tensor/tensor.h"

// Builds the graph from the inputs (each call must compute the same function:
// re-seed any rng inside) and returns its output, of any shape.
typedef Tensor *(*GradcheckFunction)(Tensor **inputs, void *context);

typedef struct GradcheckOptions {
    double epsilon;     // step of the central difference
    double abs_tol;     // an element passes when |analytic − numeric| <= abs_tol + rel_tol·max(|a|, |n|)
    double rel_tol;
    unsigned long seed; // of the reduction weights w
} GradcheckOptions;

extern const GradcheckOptions GRADCHECK_DEFAULTS;

typedef struct GradcheckInputReport {
    char name[TENSOR_NAME_LEN];
    long elements;
    long worst_index;        // the element with the largest error relative to its tolerance
    double analytic, numeric;  // at worst_index
    double max_abs_error;
    bool passed;
} GradcheckInputReport;

enum { GRADCHECK_MAX_INPUTS = 16 };

typedef struct GradcheckResult {
    bool passed;
    int n_inputs;
    GradcheckInputReport inputs[GRADCHECK_MAX_INPUTS];
} GradcheckResult;

// Every input must require a gradient (parameters, or requires_grad() on step tensors).
GradcheckResult gradcheck(GradcheckFunction f, void *context, Tensor **inputs, int n_inputs,
                          const GradcheckOptions *options);
void gradcheck_print(const char *title, const GradcheckResult *result);  // a table, one row per input

#endif
