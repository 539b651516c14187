// The differentiable ops. Each one checks its shapes (aborting with the op's name
// and both shapes), computes its output with a kernel from tensor/, and records a
// node whose backward function calls the matching backward kernel. Outputs come
// from the step arena and are named "<scope>.<op>".
//
// Names tell the three levels apart: the op `softmax` (here) records a node whose
// backward is `softmax_node_backward` (static, in autograd/ops_softmax.c), which calls
// the kernel `softmax_backward` (tensor/softmax.c) beside its `softmax_forward`. Each
// op file holds the op's description (tape.h's OpInfo: name, backward, whether −∞ is
// a legal output), written once.
//
// Every op has a finite-difference gradient check in tests/test_ops.c.
#ifndef GPT1_OPS_H
#define GPT1_OPS_H

#include "tensor/rng.h"
#include "tensor/tensor.h"

// ops_matmul.c
Tensor *matmul(Tensor *a, Tensor *b);             // a[..., m, k] · b[k, n] (shared) or b[..., k, n] (batched)
Tensor *matmul_transposed(Tensor *a, Tensor *b);  // a[..., m, k] · b[n, k]ᵀ (shared) or b[..., n, k]ᵀ

// ops_elementwise.c
Tensor *add(Tensor *a, Tensor *b);   // b equal to a, or to a's trailing dims (repeated: a bias)
Tensor *mul(Tensor *a, Tensor *b);   // elementwise, equal shapes
Tensor *scale(Tensor *x, float factor);
Tensor *relu(Tensor *x);             // max(0, x)
Tensor *gelu(Tensor *x);             // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
Tensor *dropout(Tensor *x, float p, Rng *rng);  // identity when p == 0 or rng == NULL (evaluation)

// ops_softmax.c: over the last dimension
Tensor *softmax(Tensor *x);
Tensor *log_softmax(Tensor *x);

// ops_layer_norm.c: over the last dimension, gain and bias [last dim]. The module
// nn/layer_norm.c (`layer_norm`) owns the plain name and calls this op.
Tensor *layer_norm_op(Tensor *x, Tensor *gain, Tensor *bias);  // gain ⊙ (x − μ)/√(σ² + 1e-5) + bias

// ops_shape.c
Tensor *gather_rows(Tensor *table, const int *ids, Shape ids_shape);  // out[ids_shape..., d] = table[ids, :]
Tensor *causal_mask(Tensor *scores);             // [..., t, t]: entries j > i become -inf
Tensor *split_heads(Tensor *x, int n_heads);     // [b, t, h·hd] -> [b, h, t, hd]
Tensor *merge_heads(Tensor *x);                  // [b, h, t, hd] -> [b, t, h·hd]
Tensor *transpose(Tensor *x);                    // [..., m, n] -> [..., n, m]
Tensor *columns(Tensor *x, int start, int count);  // x[..., start : start + count]
Tensor *concat(Tensor *a, Tensor *b);            // [..., n] and [..., m] -> [..., n + m]
Tensor *reshape(Tensor *x, Shape shape);         // the same values in a new shape of the same size

// ops_loss.c: these return a tensor of shape [1]
Tensor *sum(Tensor *x);
Tensor *mean(Tensor *x);
// Mean of −log softmax(logits)[target] over rows whose target is >= 0; logits [..., v],
// one target per row. Targets < 0 (CROSS_ENTROPY_IGNORE) are skipped.
Tensor *cross_entropy(Tensor *logits, const int *targets);
Tensor *squared_error(Tensor *x, const float *targets);  // mean of (x − target)²

#endif
