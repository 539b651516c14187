// The model's hyperparameters and the named presets.
#ifndef GPT1_CONFIG_H
#define GPT1_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "gpt/tasks/task_kind.h"
#include "nn/feed_forward.h"

// Similarity reads two orderings of the pair: their extract vectors are concatenated
// (this project's default) or added element-wise (the paper).
typedef enum { COMBINE_CONCAT = 0, COMBINE_ADD = 1 } SimilarityCombine;

typedef struct TaskHeadConfig {
    TaskKind task;              // TASK_NONE: a language model only, no head
    int n_outputs;              // classes; 1 for multiple choice (a score per option) and for regression
    SimilarityCombine combine;  // TASK_SIMILAR only
    bool regression;            // TASK_SIMILAR with a graded score: squared error instead of softmax
} TaskHeadConfig;

typedef struct GptConfig {
    int n_layers;     // decoder blocks
    int d_model;      // width of every hidden state
    int n_heads;      // attention heads; must divide d_model
    int d_ff;         // inner width of the feed-forward network
    int n_ctx;        // context window k: the longest sequence the model reads
    int vocab_size;   // rows of the token embedding We (text tokens + task tokens)
    Activation activation;
    float dropout;    // on embeddings, attention weights and residual branches
    TaskHeadConfig head;
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

const Preset *preset_find(const char *name);  // NULL when there is no such preset
// Checks the sizes; on a problem writes one line naming the field to error.
bool config_validate(const GptConfig *config, char *error, size_t error_len);
long config_parameter_count(const GptConfig *config);
bool config_equal(const GptConfig *a, const GptConfig *b);
int head_input_width(const GptConfig *config);  // d_model, or 2·d_model for concatenated similarity
void config_print(FILE *file, const GptConfig *config);

#endif
