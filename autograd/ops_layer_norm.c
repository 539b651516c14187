#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

// forward: out = gain ⊙ x̂ + bias with x̂ = (x − mean)·rstd over the last dimension, so
// dbias += dout and dgain += dout ⊙ x̂ (both summed over the rows), and
// dx += rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) with dx̂ = dout ⊙ gain (the kernel labels the terms)
static void layer_norm_node_backward(Node *node) {
    Tensor *x = node->inputs[0], *gain = node->inputs[1], *bias = node->inputs[2];
    layer_norm_backward(x->grad, gain->grad, bias->grad, node->out->grad, x->data, node->saved.mean,
                        node->saved.rstd, gain->data, tensor_rows(x), tensor_cols(x));
}

static const OpInfo LAYER_NORM = {.name = "layer_norm", .backward = layer_norm_node_backward};

Tensor *layer_norm_op(Tensor *x, Tensor *gain, Tensor *bias) {
    if (gain->size != tensor_cols(x) || gain->shape.ndim != 1)
        shape_error(LAYER_NORM.name, x->shape, gain->shape, "the gain must be [last dim of x]");
    check_same_shape(LAYER_NORM.name, gain, bias);
    long rows = tensor_rows(x);
    float *mean = saved_alloc(sizeof(float) * (size_t)rows);
    float *rstd = saved_alloc(sizeof(float) * (size_t)rows);
    Tensor *out = op_output(&LAYER_NORM, x->shape);
    layer_norm_forward(out->data, mean, rstd, x->data, gain->data, bias->data, rows, tensor_cols(x));
    Node *node = record(&LAYER_NORM, out, x, gain, bias);
    if (node) {
        node->saved.mean = mean;
        node->saved.rstd = rstd;
    }
    return out;
}
