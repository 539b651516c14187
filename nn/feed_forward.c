#include "nn/feed_forward.h"

#include <stdio.h>

#include "autograd/ops.h"
#include "autograd/tape.h"

void feed_forward_create(FeedForward *ffn, ParameterTable *params, const char *name, int d, int d_ff,
                         Activation activation) {
    char full[TENSOR_NAME_LEN];
    snprintf(full, sizeof full, "%s.c_fc", name);
    linear_create(&ffn->c_fc, params, full, d, d_ff);
    snprintf(full, sizeof full, "%s.c_proj", name);
    linear_create(&ffn->c_proj, params, full, d_ff, d);
    ffn->activation = activation;
    ffn->dropout = NULL;
}

const char *activation_name(Activation activation) { return activation == ACTIVATION_GELU ? "gelu" : "relu"; }

// Eq: FFN(X) = act(X·W1 + b1)·W2 + b2, act = max(0, ·) or GELU;  x [b, t, d] -> [b, t, d]
Tensor *feed_forward(const FeedForward *ffn, Tensor *x) {
    scope_push("mlp");
    Tensor *hidden = linear(&ffn->c_fc, x);  // [b, t, d_ff]
    hidden = ffn->activation == ACTIVATION_GELU ? gelu(hidden) : relu(hidden);
    Tensor *out = apply_dropout(ffn->dropout, linear(&ffn->c_proj, hidden));
    scope_pop();
    return out;
}
