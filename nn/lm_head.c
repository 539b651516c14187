#include "nn/lm_head.h"

#include "autograd/ops.h"

// Eq: logits = h_n·Weᵀ;  h_n [b, t, d] -> [b, t, vocab]. We is shared with embed(), so its
// gradient is the sum of the embedding path and this output path.
Tensor *lm_head_logits(const Embedding *e, Tensor *h) { return matmul_transposed(h, e->tokens); }

// Eq: P(u) = softmax(h_n·Weᵀ);  logits [b, t, vocab] -> [b, t, vocab]
Tensor *lm_head_probabilities(Tensor *logits) { return softmax(logits); }
