// The language-model head. Its matrix is the token embedding We itself (tied
// weights): the score of token u at a position is the dot product of the final
// hidden state with u's embedding row. No separate output matrix exists.
#ifndef GPT1_LM_HEAD_H
#define GPT1_LM_HEAD_H

#include "nn/embedding.h"

Tensor *lm_head_logits(const Embedding *e, Tensor *h);  // h_n [b, t, d] -> logits [b, t, vocab]
Tensor *lm_head_probabilities(Tensor *logits);          // P(u) = softmax(logits)

#endif
