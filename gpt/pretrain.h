// Unsupervised pre-training: maximise L1(U) = Σ_i log P(u_i | u_{i-k}, ..., u_{i-1})
// by plain SGD on random windows of the training text.
#ifndef GPT1_PRETRAIN_H
#define GPT1_PRETRAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/checkpoint.h"
#include "gpt/model.h"
#include "gpt/sgd.h"
#include "gpt/text_data.h"

#define PRETRAIN_ADAM_LR 2.5e-4f   // the paper's maximum pre-training rate, with --optimizer adam
#define PRETRAIN_MAX_STEPS 100000000L  // a run's total: over a month of the tiny preset's 30 ms steps

typedef struct PretrainOptions {
    long steps;            // total optimizer steps (a resumed run continues up to this number)
    int batch, seq;        // windows per step, tokens per window (at most n_ctx)
    SgdOptions sgd;
    long eval_every;       // steps between validation losses (0: only at the end)
    long eval_windows;     // validation windows per evaluation (0: the whole validation split)
    long save_every;       // steps between checkpoints (0: only at the end)
    const char *out;       // checkpoint path, or NULL
    const char *log;       // CSV log path, or NULL
    bool quiet;            // no progress line
    float *loss_history;   // optional: the training loss of every step, indexed by step
    // Optional: called with the model before the first step of a new run and after every
    // watch_every steps and the last (gpt pretrain --attention-every draws the attention
    // heads with it). It must leave the model as it found it; false stops the run with
    // its error, the last good checkpoint left in place.
    bool (*watch)(Gpt *model, long step, void *context, char *error, size_t error_len);
    void *watch_context;
    long watch_every;
} PretrainOptions;

typedef struct PretrainReport {
    long steps_done;
    float train_loss;      // the last step's
    float val_loss;        // the last evaluation's (NAN if none)
    bool interrupted;      // Ctrl-C: stopped early, checkpoint written
} PretrainReport;

// One step: forward, L1, backward, θ ← θ − η∇θ L, release the step's memory. Returns L1.
float train_step(Gpt *model, const Batch *batch, const SgdOptions *sgd, float lr);

// Trains from state->step to options->steps. On failure (the loss or the weights
// became non-finite, a checkpoint could not be written) returns false with a message;
// the last good checkpoint is left in place.
bool pretrain(Gpt *model, const Tokenizer *tokenizer, TrainingState *state, const TokenSequence *train,
              const TokenSequence *val, const PretrainOptions *options, PretrainReport *report, char *error,
              size_t error_len);

#endif
