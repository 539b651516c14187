#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

static void backward_softmax(Node *node) {
    Tensor *out = node->out;
    softmax_backward(node->inputs[0]->grad, out->grad, out->data, tensor_rows(out), tensor_cols(out));
}

Tensor *softmax(Tensor *x) {
    Tensor *out = op_output("softmax", x->shape);
    softmax_forward(out->data, x->data, tensor_rows(x), tensor_cols(x));
    record("softmax", out, backward_softmax, x, NULL, NULL);
    return out;
}

static void backward_log_softmax(Node *node) {
    Tensor *out = node->out;
    log_softmax_backward(node->inputs[0]->grad, out->grad, out->data, tensor_rows(out), tensor_cols(out));
}

Tensor *log_softmax(Tensor *x) {
    Tensor *out = op_output("log_softmax", x->shape);
    log_softmax_forward(out->data, x->data, tensor_rows(x), tensor_cols(x));
    record("log_softmax", out, backward_log_softmax, x, NULL, NULL);
    return out;
}

static void backward_normalize(Node *node) {
    Tensor *x = node->inputs[0], *gain = node->inputs[1], *bias = node->inputs[2];
    layernorm_backward(x->grad, gain->grad, bias->grad, node->out->grad, x->data, node->saved.mean,
                       node->saved.rstd, gain->data, tensor_rows(x), tensor_cols(x));
}

Tensor *normalize(Tensor *x, Tensor *gain, Tensor *bias) {
    if (gain->size != tensor_cols(x) || gain->shape.ndim != 1)
        shape_error("normalize", x->shape, gain->shape, "the gain must be [last dim of x]");
    check_same_shape("normalize", gain, bias);
    long rows = tensor_rows(x);
    float *mean = saved_alloc(sizeof(float) * (size_t)rows);
    float *rstd = saved_alloc(sizeof(float) * (size_t)rows);
    Tensor *out = op_output("normalize", x->shape);
    layernorm_forward(out->data, mean, rstd, x->data, gain->data, bias->data, rows, tensor_cols(x));
    Node *node = record("normalize", out, backward_normalize, x, gain, bias);
    if (node) {
        node->saved.mean = mean;
        node->saved.rstd = rstd;
    }
    return out;
}
