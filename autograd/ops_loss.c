#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"

// forward: out = Σ_i x[i], so dx[i] += dout for every i
static void sum_node_backward(Node *node) {
    sum_backward(node->inputs[0]->grad, node->out->grad[0], node->inputs[0]->size);
}

static const OpInfo SUM = {.name = "sum", .backward = sum_node_backward};

Tensor *sum(Tensor *x) {
    Tensor *out = op_output(&SUM, shape1(1));
    out->data[0] = sum_forward(x->data, x->size);
    record(&SUM, out, x, NULL, NULL);
    return out;
}

// forward: out = Σ_i x[i] / n, so dx[i] += dout / n for every i
static void mean_node_backward(Node *node) {
    long n = node->inputs[0]->size;
    sum_backward(node->inputs[0]->grad, node->out->grad[0] / (float)n, n);
}

static const OpInfo MEAN = {.name = "mean", .backward = mean_node_backward};

Tensor *mean(Tensor *x) {
    Tensor *out = op_output(&MEAN, shape1(1));
    out->data[0] = sum_forward(x->data, x->size) / (float)x->size;
    record(&MEAN, out, x, NULL, NULL);
    return out;
}

// forward: out = (1/N) Σ_r −log softmax(logits[r])[target[r]] over the N counted rows,
// so dlogits[r] += dout·(probs[r] − onehot(target[r])) / N, with probs the saved softmax
static void cross_entropy_node_backward(Node *node) {
    Tensor *logits = node->inputs[0];
    cross_entropy_backward(logits->grad, node->out->grad[0], node->saved.probs, node->saved.ids,
                           tensor_rows(logits), tensor_cols(logits), node->saved.counted);
}

static const OpInfo CROSS_ENTROPY = {.name = "cross_entropy", .backward = cross_entropy_node_backward};

Tensor *cross_entropy(Tensor *logits, const int *targets) {
    long rows = tensor_rows(logits);
    int v = tensor_cols(logits);
    for (long r = 0; r < rows; r++)
        if (targets[r] >= v) {
            fprintf(stderr, "%s: target %d in row %ld is outside the %d classes of '%s'\n", CROSS_ENTROPY.name,
                    targets[r], r, v, logits->name);
            abort();
        }
    int *saved_targets = saved_alloc(sizeof(int) * (size_t)rows);
    memcpy(saved_targets, targets, sizeof(int) * (size_t)rows);
    float *probs = saved_alloc(sizeof(float) * (size_t)logits->size);
    Tensor *out = op_output(&CROSS_ENTROPY, shape1(1));
    long counted = cross_entropy_forward(out->data, probs, logits->data, saved_targets, rows, v);
    Node *node = record(&CROSS_ENTROPY, out, logits, NULL, NULL);
    if (node) {
        node->saved.probs = probs;
        node->saved.ids = saved_targets;
        node->saved.counted = counted;
    }
    return out;
}

// forward: out = (1/n) Σ_i (x[i] − target[i])², so dx[i] += dout·2·(x[i] − target[i]) / n
static void squared_error_node_backward(Node *node) {
    Tensor *x = node->inputs[0];
    squared_error_backward(x->grad, node->out->grad[0], x->data, node->saved.values, x->size);
}

static const OpInfo SQUARED_ERROR = {.name = "squared_error", .backward = squared_error_node_backward};

Tensor *squared_error(Tensor *x, const float *targets) {
    float *saved_targets = saved_alloc(sizeof(float) * (size_t)x->size);
    memcpy(saved_targets, targets, sizeof(float) * (size_t)x->size);
    Tensor *out = op_output(&SQUARED_ERROR, shape1(1));
    out->data[0] = squared_error_forward(x->data, saved_targets, x->size);
    Node *node = record(&SQUARED_ERROR, out, x, NULL, NULL);
    if (node) node->saved.values = saved_targets;
    return out;
}
