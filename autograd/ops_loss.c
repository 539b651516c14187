#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

static void backward_sum(Node *node) {
    sum_backward(node->inputs[0]->grad, node->out->grad[0], node->inputs[0]->size);
}

Tensor *sum(Tensor *x) {
    Tensor *out = op_output("sum", shape1(1));
    out->data[0] = sum_forward(x->data, x->size);
    record("sum", out, backward_sum, x, NULL, NULL);
    return out;
}

static void backward_mean(Node *node) {
    long n = node->inputs[0]->size;
    sum_backward(node->inputs[0]->grad, node->out->grad[0] / (float)n, n);
}

Tensor *mean(Tensor *x) {
    Tensor *out = op_output("mean", shape1(1));
    out->data[0] = sum_forward(x->data, x->size) / (float)x->size;
    record("mean", out, backward_mean, x, NULL, NULL);
    return out;
}

static void backward_cross_entropy(Node *node) {
    Tensor *logits = node->inputs[0];
    cross_entropy_backward(logits->grad, node->out->grad[0], node->saved.probs, node->saved.ids,
                           tensor_rows(logits), tensor_cols(logits), node->saved.counted);
}

Tensor *cross_entropy(Tensor *logits, const int *targets) {
    long rows = tensor_rows(logits);
    int v = tensor_cols(logits);
    for (long r = 0; r < rows; r++)
        if (targets[r] >= v) {
            fprintf(stderr, "cross_entropy: target %d in row %ld is outside the %d classes of '%s'\n", targets[r], r, v,
                    logits->name);
            abort();
        }
    int *saved_targets = saved_alloc(sizeof(int) * (size_t)rows);
    memcpy(saved_targets, targets, sizeof(int) * (size_t)rows);
    float *probs = saved_alloc(sizeof(float) * (size_t)logits->size);
    Tensor *out = op_output("cross_entropy", shape1(1));
    long counted = cross_entropy_forward(out->data, probs, logits->data, saved_targets, rows, v);
    Node *node = record("cross_entropy", out, backward_cross_entropy, logits, NULL, NULL);
    if (node) {
        node->saved.probs = probs;
        node->saved.ids = saved_targets;
        node->saved.counted = counted;
    }
    return out;
}

static void backward_squared_error(Node *node) {
    Tensor *x = node->inputs[0];
    squared_error_backward(x->grad, node->out->grad[0], x->data, node->saved.values, x->size);
}

Tensor *squared_error(Tensor *x, const float *targets) {
    float *saved_targets = saved_alloc(sizeof(float) * (size_t)x->size);
    memcpy(saved_targets, targets, sizeof(float) * (size_t)x->size);
    Tensor *out = op_output("squared_error", shape1(1));
    out->data[0] = squared_error_forward(x->data, saved_targets, x->size);
    Node *node = record("squared_error", out, backward_squared_error, x, NULL, NULL);
    if (node) node->saved.values = saved_targets;
    return out;
}
