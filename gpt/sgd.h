// Training by stochastic gradient descent:
//   θ ← θ − η·∇θ L
// The paper trained with Adam; plain SGD is this project's choice, from its
// specification (a summary of the paper that names SGD as the optimiser), because it
// adds no state beyond the weights and their gradients (docs/differences.md, "Why SGD?").
// Adam, the paper's optimiser, is an option (`--optimizer adam`), never the default: it
// keeps two running means per weight (ParameterTable.moment1, moment2), which the
// checkpoints do not hold, so a resumed Adam run starts them afresh.
// A constant learning rate is the default. Gradient clipping and a learning-rate
// warm-up and decay are options, off unless asked for; with them, SGD follows the
// paper's schedules: a linear warm-up over 0.2% of fine-tuning, then a linear decay.
#ifndef GPT1_SGD_H
#define GPT1_SGD_H

#include <stddef.h>

#include "nn/parameters.h"

typedef enum { LR_CONSTANT = 0, LR_COSINE, LR_LINEAR } LrDecay;
typedef enum { OPTIMIZER_SGD = 0, OPTIMIZER_ADAM } Optimizer;

// Adam's constants, the paper's (and its release's): β1, β2, ε.
#define ADAM_BETA1 0.9f
#define ADAM_BETA2 0.999f
#define ADAM_EPSILON 1e-8f

typedef struct SgdOptions {
    Optimizer optimizer;  // plain SGD (the default), or Adam
    float lr;           // η
    float clip_norm;    // > 0: scale the gradients down to at most this global L2 norm
    int warmup_steps;   // > 0: η rises linearly from 0 over these first steps
    float warmup_fraction;  // > 0 (warmup_steps 0): the warm-up is this fraction of all the steps
    LrDecay decay;      // after the warm-up, η stays, or falls to 0 at the last step
} SgdOptions;

void sgd_step(ParameterTable *params, float lr);  // θ ← θ − η·∇θ over the one parameter buffer
// θ ← θ − η·m̂/(√v̂ + ε), Adam's step; it allocates the moments on the first call and
// aborts, saying so, when there is no memory for them.
void adam_step(ParameterTable *params, float lr);
// The update after a backward: clipping if asked for, sgd_step or adam_step, gradients
// back to zero.
void sgd_update(ParameterTable *params, const SgdOptions *options, float lr);
float learning_rate_at(const SgdOptions *options, long step, long total_steps);
// The warm-up in steps: warmup_steps, or warmup_fraction of total_steps, rounded to the
// nearest step (at least 1).
long warmup_steps_of(const SgdOptions *options, long total_steps);
double gradient_norm(const ParameterTable *params);
void clip_gradients(ParameterTable *params, float max_norm);  // max_norm <= 0: no clipping
const char *lr_decay_name(LrDecay decay);
// "SGD lr 0.3" (or "Adam lr 0.001"), then whichever options are on: ", clipped at norm 1,
// warm-up 100 steps, cosine decay" (a warm-up given as a fraction: ", warm-up 0.2% of the steps").
const char *sgd_describe(const SgdOptions *options, char *buf, size_t len);
bool lr_decay_from_name(const char *name, LrDecay *decay);
bool optimizer_from_name(const char *name, Optimizer *optimizer);  // "sgd" or "adam"
// The one message of a run whose loss became NaN or infinite (pre-training or
// fine-tuning): the step, the loss, and what to try.
void describe_divergence(char *error, size_t error_len, long step, float loss, float lr);

#endif
