#include "nn/linear.h"

#include <stdio.h>

#include "autograd/ops.h"

void linear_create(Linear *layer, ParameterTable *params, const char *name, int in, int out) {
    char full[TENSOR_NAME_LEN];
    snprintf(full, sizeof full, "%s.weight", name);
    layer->weight = parameter_add(params, full, shape2(in, out), INIT_NORMAL);
    snprintf(full, sizeof full, "%s.bias", name);
    layer->bias = parameter_add(params, full, shape1(out), INIT_ZEROS);
}

// Eq: y = xW + b;  x [..., in] -> y [..., out]
Tensor *linear(const Linear *layer, Tensor *x) { return add(matmul(x, layer->weight), layer->bias); }
