// Layer normalisation over the last dimension, with a learned gain and bias.
#ifndef GPT1_LAYER_NORM_H
#define GPT1_LAYER_NORM_H

#include "nn/parameters.h"

typedef struct LayerNorm {
    Tensor *gain;  // g [d], 1 at init; named "<name>.weight" as in PyTorch
    Tensor *bias;  // b [d], 0 at init
} LayerNorm;

void layer_norm_create(LayerNorm *ln, ParameterTable *params, const char *name, int d);
Tensor *layer_norm(const LayerNorm *ln, Tensor *x);

#endif
