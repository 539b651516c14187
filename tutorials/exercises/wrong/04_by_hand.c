// Exercise 04, a known wrong solution: it computes the numbers itself, into a tensor that is not on the tape.
// Replaces: nn/attention.c scaled_dot_product_attention
#include <math.h>
#include <stddef.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/attention.h"

Tensor *scaled_dot_product_attention(Tensor *q, Tensor *k, Tensor *v, const Dropout *dropout, Tensor **weights) {
    int t = q->shape.dims[2], d_head = tensor_cols(q);
    long pairs = tensor_rows(q) / t;
    *weights = tensor_zeros(step_arena(), "weights", shape4(q->shape.dims[0], q->shape.dims[1], t, t));
    Tensor *out = tensor_zeros(step_arena(), "out", q->shape);
    for (long s = 0; s < pairs; s++)
        for (int i = 0; i < t; i++) {
            float *w = (*weights)->data + (s * t + i) * t, top = -INFINITY, total = 0.0f;
            for (int j = 0; j <= i; j++) {
                for (int e = 0; e < d_head; e++) w[j] += q->data[(s * t + i) * d_head + e] * k->data[(s * t + j) * d_head + e];
                w[j] /= sqrtf((float)d_head);
                top = w[j] > top ? w[j] : top;
            }
            for (int j = 0; j <= i; j++) total += w[j] = expf(w[j] - top);
            for (int j = 0; j <= i; j++) w[j] /= total;
            for (int e = 0; e < d_head; e++)
                for (int j = 0; j <= i; j++) out->data[(s * t + i) * d_head + e] += w[j] * v->data[(s * t + j) * d_head + e];
        }
    (void)dropout;
    return out;
}
