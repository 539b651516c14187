// Checkpoints: the model, its tokenizer and the training state in one file. A language
// model's checkpoint holds a Gpt; a fine-tuned one holds a task model (gpt/task_model.h):
// the same Gpt, then its task head's config, class names and W_y.
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
#include "gpt/task_model.h"
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
bool task_checkpoint_save(const char *path, const TaskModel *model, const Tokenizer *tokenizer,
                          const TrainingState *state, char *error, size_t error_len);

// On success the loaders return a new model and fill tokenizer and state (either may be NULL).
// checkpoint_load reads the language model of any checkpoint: a fine-tuned checkpoint's
// task head stays in the file, and the model under it is a language model still (to
// sample from, to evaluate, or to fine-tune on another task).
Gpt *checkpoint_load(const char *path, Tokenizer *tokenizer, TrainingState *state, char *error, size_t error_len);
// A fine-tuned checkpoint as a whole; a language model's checkpoint is an error saying so.
TaskModel *task_checkpoint_load(const char *path, Tokenizer *tokenizer, TrainingState *state, char *error,
                                size_t error_len);
// Whether the file is a fine-tuned checkpoint (read from its header only; false when it
// is not a checkpoint at all: the loaders then say what is wrong).
bool checkpoint_has_task_head(const char *path);

#endif
