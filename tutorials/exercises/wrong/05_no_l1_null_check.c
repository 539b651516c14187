// Exercise 05, a known wrong solution: it does not check l1 for NULL (the auxiliary loss off).
// Replaces: gpt/task_heads.c combined_loss
#include <stddef.h>

#include "autograd/ops.h"
#include "gpt/task_heads.h"

Tensor *combined_loss(Tensor *l2, Tensor *l1, float lambda) {
    if (lambda == 0.0f) return l2;
    return add(l2, scale(l1, lambda));
}
