#include "nn/dropout.h"

#include <stddef.h>

#include "autograd/ops.h"

Tensor *apply_dropout(const Dropout *d, Tensor *x) {
    return d == NULL ? x : dropout(x, d->p, d->rng);  // dropout() is the identity in evaluation or at p = 0
}
