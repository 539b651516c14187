// The model's hyperparameters (section 3.1 and 4.1) and the named presets. A fine-tuned
// model's task head has its own config: TaskHeadConfig in gpt/task_model.h.
#ifndef GPT1_CONFIG_H
#define GPT1_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "nn/feed_forward.h"

typedef struct GptConfig {
    int n_layers;     // decoder blocks
    int d_model;      // width of every hidden state
    int n_heads;      // attention heads; must divide d_model
    int d_ff;         // inner width of the feed-forward network
    int n_ctx;        // context window k: the longest sequence the model reads
    int vocab_size;   // rows of the token embedding We (text tokens + task tokens)
    Activation activation;
    float dropout;    // on embeddings, attention weights and residual branches
} GptConfig;

// A model size and the plain-SGD recipe `gpt pretrain` trains it with by default.
typedef struct Preset {
    const char *name;
    const char *description;
    GptConfig config;
    float lr;          // η
    float clip_norm;   // > 0: the gradients' global norm is clipped to this
} Preset;

extern const Preset PRESETS[];
extern const int N_PRESETS;

// The largest model this program builds (docs/checkpoint_format.md): far above GPT-1
// (12 layers, d 768, d_ff 3072, n_ctx 512, 40,478 tokens, 116.5 M parameters), low
// enough that no size computed from them overflows, and that the parameters and their
// gradients take at most 16 GiB.
enum {
    CONFIG_MAX_LAYERS = 1024,
    CONFIG_MAX_D_MODEL = 16384,
    CONFIG_MAX_D_FF = 65536,
    CONFIG_MAX_CTX = 65536,
    CONFIG_MAX_VOCAB = 1 << 22,
};
#define CONFIG_MAX_PARAMETERS (1L << 31)

const Preset *preset_find(const char *name);  // NULL when there is no such preset
// Checks the sizes (each from 1 to its maximum above, n_heads dividing d_model, at most
// CONFIG_MAX_PARAMETERS parameters) and the dropout; on a problem writes one line naming
// the field to error.
bool config_validate(const GptConfig *config, char *error, size_t error_len);
// Needs a config that passed config_validate (whose count cannot overflow).
long config_parameter_count(const GptConfig *config);
bool config_equal(const GptConfig *a, const GptConfig *b);
void config_print(FILE *file, const GptConfig *config);

#endif
