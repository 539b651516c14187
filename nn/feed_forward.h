// The position-wise feed-forward network, the second sublayer of every block.
#ifndef GPT1_FEED_FORWARD_H
#define GPT1_FEED_FORWARD_H

#include "nn/dropout.h"
#include "nn/linear.h"

// FFN(X) = max(0, XW1 + b1)W2 + b2 is the ReLU form (the classroom presets); the paper uses GELU.
typedef enum { ACTIVATION_RELU, ACTIVATION_GELU } Activation;

typedef struct FeedForward {
    Linear c_fc;    // W1, b1: [d, d_ff]
    Linear c_proj;  // W2, b2: [d_ff, d]
    Activation activation;
    const Dropout *dropout;  // on the output
} FeedForward;

void feed_forward_create(FeedForward *ffn, ParameterTable *params, const char *name, int d, int d_ff,
                         Activation activation);
Tensor *feed_forward(const FeedForward *ffn, Tensor *x);
const char *activation_name(Activation activation);  // "relu", "gelu"

#endif
