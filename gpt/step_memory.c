#include "gpt/step_memory.h"

#include <stdio.h>

#include "autograd/tape.h"

static const double MARGIN = 1.05;

double step_memory_bytes(const GptConfig *c, double batch, double seq, bool training) {
    double n = batch * seq, layers = c->n_layers, d = c->d_model, f = c->d_ff, vocab = c->vocab_size;
    double attention = c->n_heads * batch * seq * seq;  // h·batch·T² weights per block
    double floats;
    if (training) {
        // every block's activations, and the gradients of about half a block at a time
        // (backward releases an intermediate's gradient once its op has run)
        floats = (layers + 0.5) * (22 * n * d + 3 * n * f + 4 * attention) + 3 * n * vocab + 6 * n * d + 6 * n * layers;
        if (c->dropout > 0.0f) floats += layers * (2 * n * d + attention) + 2 * n * d;
    } else {
        floats = layers * (22 * n * d + 3 * n * f + 4 * attention) + 2 * n * vocab + 3 * n * d + 6 * n * layers;
    }
    return MARGIN * 4.0 * floats + 4096.0 * layers + 65536.0;  // and a few small tensors per block
}

bool step_memory_fits(const GptConfig *c, double batch, double seq, bool training, char *error, size_t error_len) {
    double needed = step_memory_bytes(c, batch, seq, training), limit = (double)step_arena()->limit;
    if (needed <= limit) return true;
    snprintf(error, error_len, "%s %.0f x %.0f tokens would need about %.1f GiB of step memory, more than "
             "the %.0f GiB limit: use a smaller batch, sequence or model", training ? "a training step of" :
             "a forward pass of", batch, seq, needed / (1 << 30), limit / (1 << 30));
    return false;
}
