// Dropout as the model uses it: one setting shared by every module. The paper uses
// p = 0.1 on the embeddings, the attention weights and the residual branches.
// With rng == NULL (evaluation, or p == 0) it is the identity.
#ifndef GPT1_NN_DROPOUT_H
#define GPT1_NN_DROPOUT_H

#include "tensor/rng.h"
#include "tensor/tensor.h"

typedef struct Dropout {
    float p;   // probability of dropping a unit
    Rng *rng;  // NULL: evaluation mode
} Dropout;

Tensor *apply_dropout(const Dropout *dropout, Tensor *x);

#endif
