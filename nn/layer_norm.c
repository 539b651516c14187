#include "nn/layer_norm.h"

#include <stdio.h>

#include "autograd/ops.h"

void layer_norm_create(LayerNorm *ln, ParameterTable *params, const char *name, int d) {
    char full[TENSOR_NAME_LEN];
    snprintf(full, sizeof full, "%s.weight", name);
    ln->gain = parameter_add(params, full, shape1(d), INIT_ONES);
    snprintf(full, sizeof full, "%s.bias", name);
    ln->bias = parameter_add(params, full, shape1(d), INIT_ZEROS);
}

// Eq: LN(x) = g ⊙ (x − mean(x)) / sqrt(var(x) + 1e-5) + b;  x [..., d] -> [..., d]
Tensor *layer_norm(const LayerNorm *ln, Tensor *x) { return layer_norm_op(x, ln->gain, ln->bias); }
