// A fully connected layer, y = x·W + b.
#ifndef GPT1_LINEAR_H
#define GPT1_LINEAR_H

#include "nn/parameters.h"

typedef struct Linear {
    Tensor *weight;  // W [in, out], N(0, 0.02)
    Tensor *bias;    // b [out], 0
} Linear;

// Adds "<name>.weight" and "<name>.bias" to the table.
void linear_create(Linear *layer, ParameterTable *params, const char *name, int in, int out);
Tensor *linear(const Linear *layer, Tensor *x);

#endif
