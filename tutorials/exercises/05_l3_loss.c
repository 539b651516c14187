// Exercise 05: the fine-tuning objective L3 = L2 + λ·L1.
// Replaces: gpt/task_heads.c combined_loss
//
// Grade your answer with `make exercise N=05`; docs/exercises.md explains the rules.
// The solution is the library's own code: do not look at gpt/task_heads.c until you pass.
//
//     L3(C) = L2(C) + λ·L1(C)       (equation 5 of the paper, λ = 0.5 there)
//
// l2 is the task loss and l1 the language-model loss on the task inputs, both tensors
// of shape [1] on the tape. Return L3 as a tensor of shape [1], built from the ops of
// autograd/ops.h (add, scale) so that backward() sends dL3/dL2 = 1 and dL3/dL1 = λ
// to them. When the auxiliary loss is off (l1 == NULL, or lambda == 0), return l2
// itself: no op at all, and no NULL to dereference.
#include <stddef.h>

#include "autograd/ops.h"
#include "gpt/task_heads.h"

Tensor *combined_loss(Tensor *l2, Tensor *l1, float lambda) {
    // TODO: your code here. Delete the lines below when you write it.
    (void)l2, (void)l1, (void)lambda;
    return NULL;
}
