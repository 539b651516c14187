#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

// forward: out = softmax(x) over the last dimension, so, row by row,
// dx += out ⊙ (dout − Σ_j dout_j·out_j) (the kernel derives it)
static void softmax_node_backward(Node *node) {
    Tensor *out = node->out;
    softmax_backward(node->inputs[0]->grad, out->grad, out->data, tensor_rows(out), tensor_cols(out));
}

static const OpInfo SOFTMAX = {.name = "softmax", .backward = softmax_node_backward};

Tensor *softmax(Tensor *x) {
    Tensor *out = op_output(&SOFTMAX, x->shape);
    softmax_forward(out->data, x->data, tensor_rows(x), tensor_cols(x));
    record(&SOFTMAX, out, x, NULL, NULL);
    return out;
}

// forward: out = log softmax(x) over the last dimension, so, row by row,
// dx += dout − exp(out)·Σ_j dout_j (exp(out) is the softmax)
static void log_softmax_node_backward(Node *node) {
    Tensor *out = node->out;
    log_softmax_backward(node->inputs[0]->grad, out->grad, out->data, tensor_rows(out), tensor_cols(out));
}

static const OpInfo LOG_SOFTMAX = {.name = "log_softmax", .backward = log_softmax_node_backward};

Tensor *log_softmax(Tensor *x) {
    Tensor *out = op_output(&LOG_SOFTMAX, x->shape);
    log_softmax_forward(out->data, x->data, tensor_rows(x), tensor_cols(x));
    record(&LOG_SOFTMAX, out, x, NULL, NULL);
    return out;
}
