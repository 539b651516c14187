#include "nn/dropout.h"

#include <stddef.h>

#include "autograd/ops.h"

Tensor *apply_dropout(const Dropout *d, Tensor *x) {
    if (d == NULL || d->rng == NULL || d->p <= 0.0f) return x;
    return dropout(x, d->p, d->rng);
}
