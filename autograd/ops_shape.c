#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

static void backward_gather_rows(Node *node) {
    Tensor *table = node->inputs[0], *out = node->out;
    gather_rows_backward(table->grad, out->grad, node->saved.ids, tensor_rows(out), tensor_cols(out));
}

Tensor *gather_rows(Tensor *table, const int *ids, Shape ids_shape) {
    if (ids_shape.ndim >= TENSOR_MAX_DIMS) shape_error("gather_rows", table->shape, ids_shape, "too many id dimensions");
    long n = shape_size(ids_shape), rows = tensor_rows(table);
    for (long i = 0; i < n; i++)
        if (ids[i] < 0 || ids[i] >= rows) {
            fprintf(stderr, "gather_rows: id %d at position %ld is outside table '%s' of %ld rows\n", ids[i], i,
                    table->name, rows);
            abort();
        }
    Shape shape = ids_shape;
    shape.dims[shape.ndim++] = tensor_cols(table);
    int *saved_ids = saved_alloc(sizeof(int) * (size_t)n);
    memcpy(saved_ids, ids, sizeof(int) * (size_t)n);
    Tensor *out = op_output("gather_rows", shape);
    gather_rows_forward(out->data, table->data, saved_ids, n, tensor_cols(table));
    Node *node = record("gather_rows", out, backward_gather_rows, table, NULL, NULL);
    if (node) node->saved.ids = saved_ids;
    return out;
}

static void backward_causal_mask(Node *node) {
    Tensor *out = node->out;
    int t = tensor_cols(out);
    causal_mask_backward(node->inputs[0]->grad, out->grad, out->size / ((long)t * t), t);
}

Tensor *causal_mask(Tensor *scores) {
    int t = tensor_cols(scores);
    if (scores->shape.ndim < 2 || scores->shape.dims[scores->shape.ndim - 2] != t)
        shape_error("causal_mask", scores->shape, scores->shape, "the last two dimensions must be equal");
    Tensor *out = op_output("causal_mask", scores->shape);
    causal_mask_forward(out->data, scores->data, scores->size / ((long)t * t), t);
    record("causal_mask", out, backward_causal_mask, scores, NULL, NULL);
    return out;
}

static void backward_split_heads(Node *node) {
    Shape s = node->out->shape;  // [b, h, t, hd]
    split_heads_backward(node->inputs[0]->grad, node->out->grad, s.dims[0], s.dims[2], s.dims[1], s.dims[3]);
}

Tensor *split_heads(Tensor *x, int n_heads) {
    if (x->shape.ndim != 3 || n_heads <= 0 || x->shape.dims[2] % n_heads != 0)
        shape_error("split_heads", x->shape, shape1(n_heads), "x must be [b, t, d] with d divisible by the heads");
    int b = x->shape.dims[0], t = x->shape.dims[1], hd = x->shape.dims[2] / n_heads;
    Tensor *out = op_output("split_heads", shape4(b, n_heads, t, hd));
    split_heads_forward(out->data, x->data, b, t, n_heads, hd);
    record("split_heads", out, backward_split_heads, x, NULL, NULL);
    return out;
}

static void backward_merge_heads(Node *node) {
    Shape s = node->inputs[0]->shape;  // [b, h, t, hd]
    merge_heads_backward(node->inputs[0]->grad, node->out->grad, s.dims[0], s.dims[2], s.dims[1], s.dims[3]);
}

Tensor *merge_heads(Tensor *x) {
    if (x->shape.ndim != 4) shape_error("merge_heads", x->shape, x->shape, "x must be [b, h, t, hd]");
    int b = x->shape.dims[0], h = x->shape.dims[1], t = x->shape.dims[2], hd = x->shape.dims[3];
    Tensor *out = op_output("merge_heads", shape3(b, t, h * hd));
    merge_heads_forward(out->data, x->data, b, t, h, hd);
    record("merge_heads", out, backward_merge_heads, x, NULL, NULL);
    return out;
}

static void backward_transpose(Node *node) {
    Tensor *x = node->inputs[0];
    int m = x->shape.dims[x->shape.ndim - 2], n = tensor_cols(x);
    transpose_backward(x->grad, node->out->grad, x->size / ((long)m * n), m, n);
}

Tensor *transpose(Tensor *x) {
    if (x->shape.ndim < 2) shape_error("transpose", x->shape, x->shape, "x needs two dimensions");
    Shape s = x->shape;
    int m = s.dims[s.ndim - 2], n = s.dims[s.ndim - 1];
    s.dims[s.ndim - 2] = n;
    s.dims[s.ndim - 1] = m;
    Tensor *out = op_output("transpose", s);
    transpose_forward(out->data, x->data, x->size / ((long)m * n), m, n);
    record("transpose", out, backward_transpose, x, NULL, NULL);
    return out;
}

static void backward_columns(Node *node) {
    Tensor *x = node->inputs[0], *out = node->out;
    columns_backward(x->grad, out->grad, tensor_rows(x), tensor_cols(x), node->saved.start, tensor_cols(out));
}

Tensor *columns(Tensor *x, int start, int count) {
    if (start < 0 || count <= 0 || start + count > tensor_cols(x))
        shape_error("columns", x->shape, shape2(start, count), "columns [start, start + count) must lie inside x");
    Shape s = x->shape;
    s.dims[s.ndim - 1] = count;
    Tensor *out = op_output("columns", s);
    columns_forward(out->data, x->data, tensor_rows(x), tensor_cols(x), start, count);
    Node *node = record("columns", out, backward_columns, x, NULL, NULL);
    if (node) node->saved.start = start;
    return out;
}

static void backward_concat(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1];
    concat_backward(a->grad, b->grad, node->out->grad, tensor_rows(a), tensor_cols(a), tensor_cols(b));
}

Tensor *concat(Tensor *a, Tensor *b) {
    bool ok = a->shape.ndim == b->shape.ndim;
    for (int i = 0; ok && i < a->shape.ndim - 1; i++) ok = a->shape.dims[i] == b->shape.dims[i];
    if (!ok) shape_error("concat", a->shape, b->shape, "all but the last dimension must be equal");
    Shape s = a->shape;
    s.dims[s.ndim - 1] += tensor_cols(b);
    Tensor *out = op_output("concat", s);
    concat_forward(out->data, a->data, b->data, tensor_rows(a), tensor_cols(a), tensor_cols(b));
    record("concat", out, backward_concat, a, b, NULL);
    return out;
}

static void backward_reshape(Node *node) {
    scale_backward(node->inputs[0]->grad, node->out->grad, 1.0f, node->out->size);
}

Tensor *reshape(Tensor *x, Shape shape) {
    if (shape_size(shape) != x->size) shape_error("reshape", x->shape, shape, "sizes must be equal");
    Tensor *out = op_output("reshape", shape);
    memcpy(out->data, x->data, sizeof(float) * (size_t)x->size);
    record("reshape", out, backward_reshape, x, NULL, NULL);
    return out;
}
