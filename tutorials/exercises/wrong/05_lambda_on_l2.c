// Exercise 05, a known wrong solution: it weighs L2 by λ instead of L1.
// Replaces: gpt/task_heads.c combined_loss
#include <stddef.h>

#include "autograd/ops.h"
#include "gpt/task_heads.h"

Tensor *combined_loss(Tensor *l2, Tensor *l1, float lambda) {
    if (l1 == NULL || lambda == 0.0f) return l2;
    return add(scale(l2, lambda), l1);
}
