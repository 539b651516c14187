// The parameter table: one list of every trainable tensor, with stable dotted names
// ("blocks.3.attn.c_attn.weight"). SGD, checkpoints, gradient checks and debug
// printing all walk this one table, so no list of parameters is kept by hand.
//
// Modules add their parameters first (names and shapes only); parameters_allocate
// then gives all values one contiguous buffer and all gradients another, so that
// zeroing the gradients is one memset and an SGD step is one loop.
#ifndef GPT1_PARAMETERS_H
#define GPT1_PARAMETERS_H

#include <stdio.h>

#include "tensor/rng.h"
#include "tensor/tensor.h"

typedef enum { INIT_NORMAL, INIT_ZEROS, INIT_ONES } ParameterInit;

typedef struct Parameter {
    Tensor tensor;       // tensor.name is the parameter's stable name
    ParameterInit init;  // N(0, 0.02) for weights, 0 for biases, 1 for LayerNorm gains
    long offset;         // where its values start in the table's buffers
} Parameter;

typedef struct ParameterTable {
    Parameter **items;   // in the order the modules added them
    int count, capacity;
    float *data;         // every value, items[0] first
    float *grad;         // every gradient, same layout
    long total;          // number of floats in data (and in grad)
    // Adam's state, same layout, allocated by its first step (NULL under plain SGD, which
    // has none): the running means of the gradients and of their squares, and its steps.
    float *moment1, *moment2;
    long optimizer_steps;
} ParameterTable;

// The standard deviation of INIT_NORMAL, as in the paper: N(0, 0.02).
#define PARAMETER_INIT_STD 0.02f

// Adds a parameter (no storage yet: that comes with parameters_allocate).
Tensor *parameter_add(ParameterTable *table, const char *name, Shape shape, ParameterInit init);
void parameters_allocate(ParameterTable *table);
void parameters_init(ParameterTable *table, Rng *rng);  // in table order: deterministic
void parameters_zero_grad(ParameterTable *table);
Tensor *parameter_find(const ParameterTable *table, const char *name);
void parameters_print(FILE *file, const ParameterTable *table);  // name, shape, count; total
void parameters_free(ParameterTable *table);

#endif
