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

// forward: out = a + b, b repeated over a's leading dimensions (a bias over rows),
// so da += dout and db += dout summed over the repeats
static void add_node_backward(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1];
    add_backward(a->grad, b->grad, node->out->grad, a->size, b->size);
}

static const OpInfo ADD = {.name = "add", .backward = add_node_backward};

Tensor *add(Tensor *a, Tensor *b) {
    if (!is_trailing_shape(b->shape, a->shape))
        shape_error(ADD.name, a->shape, b->shape, "b must equal a or a's trailing dimensions");
    Tensor *out = op_output(&ADD, a->shape);
    add_forward(out->data, a->data, b->data, a->size, b->size);
    record(&ADD, out, a, b, NULL);
    return out;
}

// forward: out = a ⊙ b, so da += dout ⊙ b and db += dout ⊙ a
static void mul_node_backward(Node *node) {
    Tensor *a = node->inputs[0], *b = node->inputs[1];
    mul_backward(a->grad, b->grad, node->out->grad, a->data, b->data, a->size);
}

static const OpInfo MUL = {.name = "mul", .backward = mul_node_backward};

Tensor *mul(Tensor *a, Tensor *b) {
    check_same_shape(MUL.name, a, b);
    Tensor *out = op_output(&MUL, a->shape);
    mul_forward(out->data, a->data, b->data, a->size);
    record(&MUL, out, a, b, NULL);
    return out;
}

// forward: out = factor·x, so dx += factor·dout
static void scale_node_backward(Node *node) {
    scale_backward(node->inputs[0]->grad, node->out->grad, node->saved.factor, node->out->size);
}

static const OpInfo SCALE = {.name = "scale", .backward = scale_node_backward};

Tensor *scale(Tensor *x, float factor) {
    Tensor *out = op_output(&SCALE, x->shape);
    scale_forward(out->data, x->data, factor, x->size);
    Node *node = record(&SCALE, out, x, NULL, NULL);
    if (node) node->saved.factor = factor;
    return out;
}

// forward: out = max(0, x), so dx += dout where x > 0 (and nothing where x <= 0)
static void relu_node_backward(Node *node) {
    relu_backward(node->inputs[0]->grad, node->out->grad, node->inputs[0]->data, node->out->size);
}

static const OpInfo RELU = {.name = "relu", .backward = relu_node_backward};

Tensor *relu(Tensor *x) {
    Tensor *out = op_output(&RELU, x->shape);
    relu_forward(out->data, x->data, x->size);
    record(&RELU, out, x, NULL, NULL);
    return out;
}

// forward: out = GELU(x), elementwise, so dx += dout ⊙ GELU'(x) (the kernel spells GELU' out)
static void gelu_node_backward(Node *node) {
    gelu_backward(node->inputs[0]->grad, node->out->grad, node->inputs[0]->data, node->out->size);
}

static const OpInfo GELU = {.name = "gelu", .backward = gelu_node_backward};

Tensor *gelu(Tensor *x) {
    Tensor *out = op_output(&GELU, x->shape);
    gelu_forward(out->data, x->data, x->size);
    record(&GELU, out, x, NULL, NULL);
    return out;
}

// forward: out = x ⊙ mask (0 or 1/(1−p), saved), so dx += dout ⊙ mask: the dropped
// units pass no gradient back, the kept ones pass it scaled by 1/(1−p)
static void dropout_node_backward(Node *node) {
    mul_backward(node->inputs[0]->grad, NULL, node->out->grad, NULL, node->saved.mask, node->out->size);
}

static const OpInfo DROPOUT = {.name = "dropout", .backward = dropout_node_backward};

Tensor *dropout(Tensor *x, float p, Rng *rng) {
    if (p <= 0.0f || rng == NULL) return x;
    float *mask = saved_alloc(sizeof(float) * (size_t)x->size);
    dropout_mask(mask, x->size, p, rng);
    Tensor *out = op_output(&DROPOUT, x->shape);
    mul_forward(out->data, x->data, mask, x->size);
    Node *node = record(&DROPOUT, out, x, NULL, NULL);
    if (node) node->saved.mask = mask;
    return out;
}
