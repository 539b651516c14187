// The one Tensor type of gpt1.c: float32, contiguous, row-major (the last dimension
// is innermost), 1 to 4 dimensions, with a name for debugging. There are no strides
// and no views: an op that rearranges data (split_heads, transpose) makes a copy.
#ifndef GPT1_TENSOR_H
#define GPT1_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tensor/arena.h"
#include "tensor/rng.h"

enum { TENSOR_MAX_DIMS = 4, TENSOR_NAME_LEN = 64 };

typedef struct Shape {
    int ndim;                    // 1..4
    int dims[TENSOR_MAX_DIMS];   // dims[ndim - 1] is the innermost, contiguous dimension
} Shape;

typedef struct Tensor {
    char name[TENSOR_NAME_LEN];  // "blocks.2.attn.softmax", "wte.weight", ...
    Shape shape;
    long size;                   // number of elements, the product of the dims
    float *data;
    float *grad;                 // dL/d(data), same size; NULL until autograd gives it one
    bool requires_grad;          // parameters and inputs to differentiate; ops propagate it
} Tensor;

Shape shape1(int d0);
Shape shape2(int d0, int d1);
Shape shape3(int d0, int d1, int d2);
Shape shape4(int d0, int d1, int d2, int d3);
long shape_size(Shape shape);
bool shape_equal(Shape a, Shape b);
const char *shape_string(Shape shape, char *buf, size_t len);  // "[2,64,128]"

// Creation. With an arena the tensor lives until the arena is reset; with arena ==
// NULL it is malloc'ed and lives until tensor_free (parameters, long-lived data).
Tensor *tensor_empty(Arena *arena, const char *name, Shape shape);  // data uninitialised
Tensor *tensor_zeros(Arena *arena, const char *name, Shape shape);
Tensor *tensor_filled(Arena *arena, const char *name, Shape shape, float value);
Tensor *tensor_from_array(Arena *arena, const char *name, Shape shape, const float *values);
Tensor *tensor_normal(Arena *arena, const char *name, Shape shape, Rng *rng, float mean, float std);
Tensor *tensor_uniform(Arena *arena, const char *name, Shape shape, Rng *rng, float low, float high);
void tensor_free(Tensor *t);  // only for tensors made with arena == NULL

// Describes existing storage (a slice of the parameter buffer) as a tensor.
void tensor_wrap(Tensor *t, const char *name, Shape shape, float *data, float *grad);

void tensor_set_name(Tensor *t, const char *name);
int tensor_cols(const Tensor *t);   // the innermost dimension
long tensor_rows(const Tensor *t);  // size / cols: how many rows ops like softmax see

// Debugging; callable from gdb: `call tensor_print(t)`.
void tensor_print(const Tensor *t);
void tensor_fprint(FILE *file, const Tensor *t);
bool tensor_is_finite(const Tensor *t);
long first_non_finite(const float *values, long n);  // index of the first NaN/inf, or -1

// Aborts with "op: shapes [..] and [..] <why>". Every op checks its shapes with it.
_Noreturn void shape_error(const char *op, Shape a, Shape b, const char *why);
void check_same_shape(const char *op, const Tensor *a, const Tensor *b);

#endif
