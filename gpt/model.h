// The GPT-1 model: token and position embeddings, n post-LN decoder blocks, and an
// output layer tied to the token embedding.
//
//   h0 = U·We + Wp
//   h_l = decoder_block(h_{l-1}),  l = 1..n
//   P(u) = softmax(h_n·Weᵀ)
#ifndef GPT1_MODEL_H
#define GPT1_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "gpt/config.h"
#include "nn/decoder_block.h"
#include "nn/embedding.h"

typedef struct Gpt {
    GptConfig config;
    ParameterTable params;  // every parameter, by name; SGD and checkpoints walk it
    Embedding embedding;    // We ("wte.weight") and Wp ("wpe.weight")
    DecoderBlock *blocks;   // config.n_layers blocks, "blocks.0" ...
    Dropout dropout;        // shared by every module: dropout.rng is NULL in evaluation
    Rng dropout_rng;        // the masks' random numbers (part of the training state)
    bool training;          // gpt_set_training's mode (false inside gpt_begin_evaluation)
} Gpt;

// Builds the modules and allocates the parameters (all zero until gpt_init_weights
// or a checkpoint fills them). The config must have passed config_validate.
Gpt *gpt_create(const GptConfig *config);
// The first half of gpt_create: the modules, with their parameters' names and shapes in
// model->params but no storage yet. A model built on top of this one adds its own
// parameters to the same table (the task model of gpt/task_model.h adds W_y) and then
// calls parameters_allocate(&model->params), so that SGD, the gradient checks and the
// checkpoints still walk one table.
Gpt *gpt_create_modules(const GptConfig *config);
void gpt_init_weights(Gpt *model, uint64_t seed);  // N(0, 0.02) weights, LN gains 1, biases 0
void gpt_free(Gpt *model);
void gpt_set_training(Gpt *model, bool training);  // dropout on (training) or off (evaluation)
// A forward pass for evaluation in the middle of anything: no tape, no dropout, and
// gpt_end_evaluation puts both back as they were.
typedef struct EvaluationMode {
    bool grad_enabled, training;
    Rng *dropout_rng;
} EvaluationMode;
EvaluationMode gpt_begin_evaluation(Gpt *model);
void gpt_end_evaluation(Gpt *model, EvaluationMode saved);

Tensor *decoder_stack(Gpt *model, Tensor *h0);                                // h_n from h_0
Tensor *gpt_hidden_states(Gpt *model, const int *tokens, int batch, int seq);  // h_n [b, t, d]
Tensor *gpt_logits(Gpt *model, const int *tokens, int batch, int seq);         // [b, t, vocab]
// L1 as a mean: −(1/N) Σ_i log P(u_i | u_{i-k}, ..., u_{i-1}), over the targets that are >= 0.
Tensor *lm_loss(Tensor *logits, const int *targets);

#endif
