// Fine-tuning a task model (gpt/task_model.h) on a supervised task: SGD minimises
// L3 = L2 + λ·L1 over epochs of the training examples, and the development set picks
// the checkpoint to keep.
#ifndef GPT1_FINETUNE_H
#define GPT1_FINETUNE_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/checkpoint.h"
#include "gpt/sgd.h"
#include "gpt/task_batch.h"
#include "gpt/task_metrics.h"

enum { FINETUNE_MAX_EPOCHS = 10000 };
#define FINETUNE_ADAM_LR 6.25e-5f  // the paper's fine-tuning rate, with --optimizer adam

typedef struct FinetuneOptions {
    int epochs, batch;
    SgdOptions sgd;
    float lambda;          // weight of the auxiliary LM loss; 0 turns it off
    uint64_t seed;         // example order and dropout
    const char *out;       // the best checkpoint (by dev accuracy, or the lowest dev MSE for regression)
    const char *log;       // CSV: step, epoch, l2, l1, l3, dev_metric
    bool quiet;
} FinetuneOptions;

// The three losses of a step (section 3.2).
typedef struct TaskLosses {
    float l1;  // the LM loss on the task inputs; 0 when λ = 0
    float l2;  // the task loss
    float l3;  // L2 + λ·L1, the one minimised
} TaskLosses;

typedef struct FinetuneReport {
    long steps;
    TaskLosses last;             // of the last step
    TaskMetrics best_dev;        // the dev metrics of the kept checkpoint
    int best_epoch;
} FinetuneReport;

// What picks the checkpoint to keep, higher is better: the dev accuracy, or for
// regression −MSE, the loss the head is trained on. Not Pearson's r: it is blind to the
// scale and the offset of the predictions, so the epoch it picks may predict scores on
// the wrong scale, and it is undefined while the predictions are all equal.
double dev_selection_score(const TaskHeadConfig *head, const TaskMetrics *metrics);

// One step: forward, L3, backward, θ ← θ − η∇θ L3, release the step's memory.
TaskLosses finetune_step(TaskModel *model, const TaskBatch *batch, float lambda, const SgdOptions *sgd, float lr);
bool finetune(TaskModel *model, const Tokenizer *tokenizer, const EncodedExample *train, int n_train,
              const EncodedExample *dev, int n_dev, const FinetuneOptions *options, FinetuneReport *report,
              char *error, size_t error_len);

#endif
