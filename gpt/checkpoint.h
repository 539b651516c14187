// Checkpoints: the model, its tokenizer and the training state in one file.
// The format is documented in docs/checkpoint_format.md. A checkpoint is written to
// "<path>.tmp", flushed to disk and renamed over <path>, so an interrupted write
// never destroys the previous one. Loading validates the magic, the version, the
// size, the CRC, and every parameter's name and shape, and returns no model at all
// when anything is wrong.
#ifndef GPT1_CHECKPOINT_H
#define GPT1_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/model.h"
#include "gpt/tokenizer/tokenizer.h"

#define CHECKPOINT_MAGIC "GPT1CKPT"
enum { CHECKPOINT_VERSION = 1 };

// What a resumed run needs besides the weights to continue exactly where it stopped.
typedef struct TrainingState {
    long step;       // optimizer steps taken
    Rng data_rng;    // draws the training batches
} TrainingState;

bool checkpoint_save(const char *path, const Gpt *model, const Tokenizer *tokenizer, const TrainingState *state,
                     char *error, size_t error_len);
// On success returns a new model and fills tokenizer and state (either may be NULL).
Gpt *checkpoint_load(const char *path, Tokenizer *tokenizer, TrainingState *state, char *error, size_t error_len);

#endif
