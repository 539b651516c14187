// The input embedding of the paper: a token embedding matrix We and a learned
// position embedding matrix Wp, added: h0 = U·We + Wp.
#ifndef GPT1_EMBEDDING_H
#define GPT1_EMBEDDING_H

#include "nn/dropout.h"
#include "nn/parameters.h"

typedef struct Embedding {
    Tensor *tokens;     // We [vocab, d], "wte.weight"; also the output matrix (lm_head.h)
    Tensor *positions;  // Wp [n_ctx, d], "wpe.weight"
    const Dropout *dropout;
} Embedding;

void embedding_create(Embedding *e, ParameterTable *params, int vocab_size, int n_ctx, int d);
// Token ids [batch, seq] -> h0 [batch, seq, d]. An id outside the vocabulary or
// seq > n_ctx stops the program with a message: never a read out of bounds.
Tensor *embed(const Embedding *e, const int *tokens, int batch, int seq);

#endif
