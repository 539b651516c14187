#include "gpt/config.h"

#include <string.h>

// The classroom presets use ReLU, FFN(X) = max(0, XW1 + b1)W2 + b2, and no dropout; gpt1 is the
// paper's model. vocab_size is the tokenizer's in practice; 256 is the byte
// tokenizer's, 40478 the size of GPT-1's BPE vocabulary.
// All train with plain SGD, the classroom presets at η = 0.3. gpt1 trains at η = 0.1 with
// its gradients clipped to a global norm of 1: without the clipping its loss climbs from
// 5.7 to tens or hundreds within a few steps (at η = 0.1 and 0.3 alike); clipped, it falls,
// more steadily at 0.1 than at 0.3.
const Preset PRESETS[] = {
    {"nano", "3 layers, d 48: trains in a minute", {3, 48, 3, 192, 64, 256, ACTIVATION_RELU, 0.0f}, 0.3f, 0.0f},
    {"tiny", "4 layers, d 128: a couple of minutes", {4, 128, 4, 512, 64, 256, ACTIVATION_RELU, 0.0f}, 0.3f, 0.0f},
    {"small", "6 layers, d 384, context 256", {6, 384, 6, 1536, 256, 256, ACTIVATION_RELU, 0.0f}, 0.3f, 0.0f},
    {"gpt1", "the paper: 12 layers, d 768, 12 heads, context 512",
     {12, 768, 12, 3072, 512, 40478, ACTIVATION_GELU, 0.1f}, 0.1f, 1.0f},
};
const int N_PRESETS = (int)(sizeof PRESETS / sizeof PRESETS[0]);

const Preset *preset_find(const char *name) {
    for (int i = 0; i < N_PRESETS; i++)
        if (strcmp(PRESETS[i].name, name) == 0) return &PRESETS[i];
    return NULL;
}

bool config_validate(const GptConfig *c, char *error, size_t error_len) {
    struct { const char *name; int value, max; } fields[] = {
        {"n_layers", c->n_layers, CONFIG_MAX_LAYERS}, {"d_model", c->d_model, CONFIG_MAX_D_MODEL},
        {"n_heads", c->n_heads, CONFIG_MAX_D_MODEL},  {"d_ff", c->d_ff, CONFIG_MAX_D_FF},
        {"n_ctx", c->n_ctx, CONFIG_MAX_CTX},          {"vocab_size", c->vocab_size, CONFIG_MAX_VOCAB},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].value <= 0) {
            snprintf(error, error_len, "%s must be positive, got %d", fields[i].name, fields[i].value);
            return false;
        }
        if (fields[i].value > fields[i].max) {
            snprintf(error, error_len, "%s must be at most %d, got %d", fields[i].name, fields[i].max, fields[i].value);
            return false;
        }
    }
    if (c->d_model % c->n_heads != 0) {
        snprintf(error, error_len, "n_heads (%d) must divide d_model (%d)", c->n_heads, c->d_model);
        return false;
    }
    if (!(c->dropout >= 0.0f && c->dropout < 1.0f)) {
        snprintf(error, error_len, "dropout must be in [0, 1), got %g", c->dropout);
        return false;
    }
    long count = config_parameter_count(c);  // the sizes are bounded: no overflow
    if (count > CONFIG_MAX_PARAMETERS) {
        snprintf(error, error_len, "the model would have %ld parameters, more than the %ld (16 GiB with their "
                 "gradients) this program builds", count, CONFIG_MAX_PARAMETERS);
        return false;
    }
    return true;
}

bool config_equal(const GptConfig *a, const GptConfig *b) {
    return a->n_layers == b->n_layers && a->d_model == b->d_model && a->n_heads == b->n_heads && a->d_ff == b->d_ff &&
           a->n_ctx == b->n_ctx && a->vocab_size == b->vocab_size && a->activation == b->activation &&
           a->dropout == b->dropout;
}

// Per block: c_attn d·3d + 3d, c_proj d·d + d, c_fc d·f + f, c_proj f·d + d, two LayerNorms 2·2d.
long config_parameter_count(const GptConfig *c) {
    long d = c->d_model, f = c->d_ff;
    long block = (d * 3 * d + 3 * d) + (d * d + d) + (d * f + f) + (f * d + d) + 4 * d;
    return (long)c->vocab_size * d + (long)c->n_ctx * d + c->n_layers * block;
}

void config_print(FILE *file, const GptConfig *c) {
    fprintf(file, "model: %d layers, d_model %d, %d heads, d_ff %d, n_ctx %d, vocab %d, %s, dropout %g\n", c->n_layers,
            c->d_model, c->n_heads, c->d_ff, c->n_ctx, c->vocab_size, activation_name(c->activation), c->dropout);
    fprintf(file, "parameters: %ld\n", config_parameter_count(c));
}
