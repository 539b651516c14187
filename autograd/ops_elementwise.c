#include <stdbool.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

// b may equal a's shape or a's trailing dimensions: a bias [n] added to every row
// of [.., n], or position rows [t, n] added to every sequence of [b, t, n].
static bool is_trailing_shape(Shape b, Shape a) {
    if (b.ndim > a.ndim) return false;
    for (int i = 1; i <= b.ndim; i++)
        if (b.dims[b.ndim - i] != a.dims[a.ndim - i]) return false;
    return true;
}

static void backward_add(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1];
    add_backward(a->grad, b->grad, node->out->grad, a->size, b->size);
}

Tensor *add(Tensor *a, Tensor *b) {
    if (!is_trailing_shape(b->shape, a->shape))
        shape_error("add", a->shape, b->shape, "b must equal a or a's trailing dimensions");
    Tensor *out = op_output("add", a->shape);
    add_forward(out->data, a->data, b->data, a->size, b->size);
    record("add", out, backward_add, a, b, NULL);
    return out;
}

static void backward_mul(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1];
    mul_backward(a->grad, b->grad, node->out->grad, a->data, b->data, a->size);
}

Tensor *mul(Tensor *a, Tensor *b) {
    check_same_shape("mul", a, b);
    Tensor *out = op_output("mul", a->shape);
    mul_forward(out->data, a->data, b->data, a->size);
    record("mul", out, backward_mul, a, b, NULL);
    return out;
}

static void backward_scale(Node *node) {
    scale_backward(node->inputs[0]->grad, node->out->grad, node->saved.factor, node->out->size);
}

Tensor *scale(Tensor *x, float factor) {
    Tensor *out = op_output("scale", x->shape);
    scale_forward(out->data, x->data, factor, x->size);
    Node *node = record("scale", out, backward_scale, x, NULL, NULL);
    if (node) node->saved.factor = factor;
    return out;
}

static void backward_relu(Node *node) {
    relu_backward(node->inputs[0]->grad, node->out->grad, node->inputs[0]->data, node->out->size);
}

Tensor *relu(Tensor *x) {
    Tensor *out = op_output("relu", x->shape);
    relu_forward(out->data, x->data, x->size);
    record("relu", out, backward_relu, x, NULL, NULL);
    return out;
}

static void backward_gelu(Node *node) {
    gelu_backward(node->inputs[0]->grad, node->out->grad, node->inputs[0]->data, node->out->size);
}

Tensor *gelu(Tensor *x) {
    Tensor *out = op_output("gelu", x->shape);
    gelu_forward(out->data, x->data, x->size);
    record("gelu", out, backward_gelu, x, NULL, NULL);
    return out;
}

// out = x ⊙ mask, so dx = dout ⊙ mask: the dropped units pass no gradient back.
static void backward_dropout(Node *node) {
    mul_backward(node->inputs[0]->grad, NULL, node->out->grad, NULL, node->saved.mask, node->out->size);
}

Tensor *dropout(Tensor *x, float p, Rng *rng) {
    if (p <= 0.0f || rng == NULL) return x;
    float *mask = saved_alloc(sizeof(float) * (size_t)x->size);
    dropout_mask(mask, x->size, p, rng);
    Tensor *out = op_output("dropout", x->shape);
    mul_forward(out->data, x->data, mask, x->size);
    Node *node = record("dropout", out, backward_dropout, x, NULL, NULL);
    if (node) node->saved.mask = mask;
    return out;
}
