#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

// forward: out[i, :] = table[ids[i], :], so dtable[ids[i], :] += dout[i, :]: a row used
// several times (a repeated token) receives the sum of its gradients
static void gather_rows_node_backward(Node *node) {
    Tensor *table = node->inputs[0], *out = node->out;
    gather_rows_backward(table->grad, out->grad, node->saved.ids, tensor_rows(out), tensor_cols(out));
}

static const OpInfo GATHER_ROWS = {.name = "gather_rows", .backward = gather_rows_node_backward};

Tensor *gather_rows(Tensor *table, const int *ids, Shape ids_shape) {
    if (ids_shape.ndim >= TENSOR_MAX_DIMS)
        shape_error(GATHER_ROWS.name, table->shape, ids_shape, "too many id dimensions");
    long n = shape_size(ids_shape), rows = tensor_rows(table);
    for (long i = 0; i < n; i++)
        if (ids[i] < 0 || ids[i] >= rows) {
            fprintf(stderr, "%s: id %d at position %ld is outside table '%s' of %ld rows\n", GATHER_ROWS.name, ids[i],
                    i, table->name, rows);
            abort();
        }
    Shape shape = ids_shape;
    shape.dims[shape.ndim++] = tensor_cols(table);
    int *saved_ids = saved_alloc(sizeof(int) * (size_t)n);
    memcpy(saved_ids, ids, sizeof(int) * (size_t)n);
    Tensor *out = op_output(&GATHER_ROWS, shape);
    gather_rows_forward(out->data, table->data, saved_ids, n, tensor_cols(table));
    Node *node = record(&GATHER_ROWS, out, table, NULL, NULL);
    if (node) node->saved.ids = saved_ids;
    return out;
}

// forward: out[.., i, j] = scores[.., i, j] for j <= i and −∞ for j > i (the future), so
// dscores[.., i, j] += dout[.., i, j] for j <= i only: the masked entries do not depend on the scores
static void causal_mask_node_backward(Node *node) {
    Tensor *out = node->out;
    int t = tensor_cols(out);
    causal_mask_backward(node->inputs[0]->grad, out->grad, out->size / ((long)t * t), t);
}

// The mask writes −∞ on purpose (the softmax turns it into a weight of 0): check-finite lets it pass.
static const OpInfo CAUSAL_MASK = {
    .name = "causal_mask", .backward = causal_mask_node_backward, .allows_minus_infinity = true};

Tensor *causal_mask(Tensor *scores) {
    int t = tensor_cols(scores);
    if (scores->shape.ndim < 2 || scores->shape.dims[scores->shape.ndim - 2] != t)
        shape_error(CAUSAL_MASK.name, scores->shape, scores->shape, "the last two dimensions must be equal");
    Tensor *out = op_output(&CAUSAL_MASK, scores->shape);
    causal_mask_forward(out->data, scores->data, scores->size / ((long)t * t), t);
    record(&CAUSAL_MASK, out, scores, NULL, NULL);
    return out;
}

// forward: out[b,h,t,i] = x[b,t,h·hd + i] (a move, no arithmetic), so dx[b,t,h·hd + i] += dout[b,h,t,i]
static void split_heads_node_backward(Node *node) {
    Shape s = node->out->shape;  // [b, h, t, hd]
    split_heads_backward(node->inputs[0]->grad, node->out->grad, s.dims[0], s.dims[2], s.dims[1], s.dims[3]);
}

static const OpInfo SPLIT_HEADS = {.name = "split_heads", .backward = split_heads_node_backward};

Tensor *split_heads(Tensor *x, int n_heads) {
    if (x->shape.ndim != 3 || n_heads <= 0 || x->shape.dims[2] % n_heads != 0)
        shape_error(SPLIT_HEADS.name, x->shape, shape1(n_heads), "x must be [b, t, d] with d divisible by the heads");
    int b = x->shape.dims[0], t = x->shape.dims[1], hd = x->shape.dims[2] / n_heads;
    Tensor *out = op_output(&SPLIT_HEADS, shape4(b, n_heads, t, hd));
    split_heads_forward(out->data, x->data, b, t, n_heads, hd);
    record(&SPLIT_HEADS, out, x, NULL, NULL);
    return out;
}

// forward: out[b,t,h·hd + i] = x[b,h,t,i] (a move), so dx[b,h,t,i] += dout[b,t,h·hd + i]
static void merge_heads_node_backward(Node *node) {
    Shape s = node->inputs[0]->shape;  // [b, h, t, hd]
    merge_heads_backward(node->inputs[0]->grad, node->out->grad, s.dims[0], s.dims[2], s.dims[1], s.dims[3]);
}

static const OpInfo MERGE_HEADS = {.name = "merge_heads", .backward = merge_heads_node_backward};

Tensor *merge_heads(Tensor *x) {
    if (x->shape.ndim != 4) shape_error(MERGE_HEADS.name, x->shape, x->shape, "x must be [b, h, t, hd]");
    int b = x->shape.dims[0], h = x->shape.dims[1], t = x->shape.dims[2], hd = x->shape.dims[3];
    Tensor *out = op_output(&MERGE_HEADS, shape3(b, t, h * hd));
    merge_heads_forward(out->data, x->data, b, t, h, hd);
    record(&MERGE_HEADS, out, x, NULL, NULL);
    return out;
}

// forward: out[.., j, i] = x[.., i, j], so dx[.., i, j] += dout[.., j, i]
static void transpose_node_backward(Node *node) {
    Tensor *x = node->inputs[0];
    int m = x->shape.dims[x->shape.ndim - 2], n = tensor_cols(x);
    transpose_backward(x->grad, node->out->grad, x->size / ((long)m * n), m, n);
}

static const OpInfo TRANSPOSE = {.name = "transpose", .backward = transpose_node_backward};

Tensor *transpose(Tensor *x) {
    if (x->shape.ndim < 2) shape_error(TRANSPOSE.name, x->shape, x->shape, "x needs two dimensions");
    Shape s = x->shape;
    int m = s.dims[s.ndim - 2], n = s.dims[s.ndim - 1];
    s.dims[s.ndim - 2] = n;
    s.dims[s.ndim - 1] = m;
    Tensor *out = op_output(&TRANSPOSE, s);
    transpose_forward(out->data, x->data, x->size / ((long)m * n), m, n);
    record(&TRANSPOSE, out, x, NULL, NULL);
    return out;
}

// forward: out[r, j] = x[r, start + j], so dx[r, start + j] += dout[r, j]; the other columns of x
// were not used and get nothing
static void columns_node_backward(Node *node) {
    Tensor *x = node->inputs[0], *out = node->out;
    columns_backward(x->grad, out->grad, tensor_rows(x), tensor_cols(x), node->saved.start, tensor_cols(out));
}

static const OpInfo COLUMNS = {.name = "columns", .backward = columns_node_backward};

Tensor *columns(Tensor *x, int start, int count) {
    if (start < 0 || count <= 0 || start + count > tensor_cols(x))
        shape_error(COLUMNS.name, x->shape, shape2(start, count), "columns [start, start + count) must lie inside x");
    Shape s = x->shape;
    s.dims[s.ndim - 1] = count;
    Tensor *out = op_output(&COLUMNS, s);
    columns_forward(out->data, x->data, tensor_rows(x), tensor_cols(x), start, count);
    Node *node = record(&COLUMNS, out, x, NULL, NULL);
    if (node) node->saved.start = start;
    return out;
}

// forward: out[r, :] = [a[r, :], b[r, :]], so da[r, :] += the first a_cols of dout[r, :] and
// db[r, :] += the rest
static void concat_node_backward(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1];
    concat_backward(a->grad, b->grad, node->out->grad, tensor_rows(a), tensor_cols(a), tensor_cols(b));
}

static const OpInfo CONCAT = {.name = "concat", .backward = concat_node_backward};

Tensor *concat(Tensor *a, Tensor *b) {
    bool ok = a->shape.ndim == b->shape.ndim;
    for (int i = 0; ok && i < a->shape.ndim - 1; i++) ok = a->shape.dims[i] == b->shape.dims[i];
    if (!ok) shape_error(CONCAT.name, a->shape, b->shape, "all but the last dimension must be equal");
    Shape s = a->shape;
    s.dims[s.ndim - 1] += tensor_cols(b);
    Tensor *out = op_output(&CONCAT, s);
    concat_forward(out->data, a->data, b->data, tensor_rows(a), tensor_cols(a), tensor_cols(b));
    record(&CONCAT, out, a, b, NULL);
    return out;
}

// forward: out = x, the same values in a new shape, so dx += dout element by element
static void reshape_node_backward(Node *node) {
    scale_backward(node->inputs[0]->grad, node->out->grad, 1.0f, node->out->size);
}

static const OpInfo RESHAPE = {.name = "reshape", .backward = reshape_node_backward};

Tensor *reshape(Tensor *x, Shape shape) {
    if (shape_size(shape) != x->size) shape_error(RESHAPE.name, x->shape, shape, "sizes must be equal");
    Tensor *out = op_output(&RESHAPE, shape);
    memcpy(out->data, x->data, sizeof(float) * (size_t)x->size);
    record(&RESHAPE, out, x, NULL, NULL);
    return out;
}
