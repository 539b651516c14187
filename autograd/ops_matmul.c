#include <stdbool.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/matmul.h"

// A matmul is "shared" when b is one 2-D matrix used by every row of a (a weight):
// then a's leading dimensions flatten into one tall matrix and a single product does
// the work (batches = 1). It is "batched" when a and b have the same leading dimensions
// (attention): one product per sequence and head, consecutive in memory.
typedef struct Dims {
    long batches;  // 1 when shared
    int m, k, n;
} Dims;

static int dim(const Tensor *t, int from_end) { return t->shape.dims[t->shape.ndim - from_end]; }

static bool same_leading_dims(const Tensor *a, const Tensor *b) {
    if (a->shape.ndim != b->shape.ndim) return false;
    for (int i = 0; i < a->shape.ndim - 2; i++)
        if (a->shape.dims[i] != b->shape.dims[i]) return false;
    return true;
}

// b_is_transposed: b is [.., n, k] rather than [.., k, n].
static Dims matmul_dims(const OpInfo *op, const Tensor *a, const Tensor *b, bool b_is_transposed) {
    if (b->shape.ndim < 2) shape_error(op->name, a->shape, b->shape, "b must be a matrix or a batch of matrices");
    int k_of_b = b_is_transposed ? dim(b, 1) : dim(b, 2);
    int n = b_is_transposed ? dim(b, 2) : dim(b, 1);
    if (dim(a, 1) != k_of_b) shape_error(op->name, a->shape, b->shape, "inner dimensions must match");
    if (b->shape.ndim == 2) return (Dims){1, (int)tensor_rows(a), dim(a, 1), n};
    if (a->shape.ndim < 3 || !same_leading_dims(a, b))
        shape_error(op->name, a->shape, b->shape, "a batched matmul needs equal leading dimensions");
    return (Dims){tensor_rows(a) / dim(a, 2), dim(a, 2), dim(a, 1), n};
}

static Shape output_shape(const Tensor *a, int n) {
    Shape s = a->shape;
    s.dims[s.ndim - 1] = n;
    return s;
}

// forward: out = a·b, out[i,j] = Σ_k a[i,k]·b[k,j] in every matrix of the batch,
// so da += dout·bᵀ and db += aᵀ·dout (a shared b receives the sum over all of a's rows)
static void matmul_node_backward(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1], *out = node->out;
    Dims d = matmul_dims(node->op, a, b, false);
    if (a->grad) matmul_abt_batched(a->grad, out->grad, b->data, d.batches, d.m, d.n, d.k, true);
    if (b->grad) matmul_atb_batched(b->grad, a->data, out->grad, d.batches, d.k, d.m, d.n, true);
}

static const OpInfo MATMUL = {.name = "matmul", .backward = matmul_node_backward};

Tensor *matmul(Tensor *a, Tensor *b) {
    Dims d = matmul_dims(&MATMUL, a, b, false);
    Tensor *out = op_output(&MATMUL, output_shape(a, d.n));
    matmul_ab_batched(out->data, a->data, b->data, d.batches, d.m, d.k, d.n, false);
    record(&MATMUL, out, a, b, NULL);
    return out;
}

// forward: out = a·bᵀ, out[i,j] = Σ_k a[i,k]·b[j,k] in every matrix of the batch,
// so da += dout·b and db += doutᵀ·a (a shared b receives the sum over all of a's rows)
static void matmul_transposed_node_backward(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1], *out = node->out;
    Dims d = matmul_dims(node->op, a, b, true);
    if (a->grad) matmul_ab_batched(a->grad, out->grad, b->data, d.batches, d.m, d.n, d.k, true);
    if (b->grad) matmul_atb_batched(b->grad, out->grad, a->data, d.batches, d.n, d.m, d.k, true);
}

static const OpInfo MATMUL_TRANSPOSED = {.name = "matmul_transposed", .backward = matmul_transposed_node_backward};

Tensor *matmul_transposed(Tensor *a, Tensor *b) {
    Dims d = matmul_dims(&MATMUL_TRANSPOSED, a, b, true);
    Tensor *out = op_output(&MATMUL_TRANSPOSED, output_shape(a, d.n));
    matmul_abt_batched(out->data, a->data, b->data, d.batches, d.m, d.k, d.n, false);
    record(&MATMUL_TRANSPOSED, out, a, b, NULL);
    return out;
}
