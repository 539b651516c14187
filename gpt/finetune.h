// Fine-tuning a pre-trained model on a supervised task: the model gains three task
// tokens and a linear head, and SGD minimises L3 = L2 + λ·L1 over epochs of the
// training examples; the development set picks the best checkpoint.
#ifndef GPT1_FINETUNE_H
#define GPT1_FINETUNE_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/checkpoint.h"
#include "gpt/sgd.h"
#include "gpt/task_batch.h"

// The pre-trained model's config and weights with three task tokens appended to the
// vocabulary and a task head. New rows (task tokens) and the head are N(0, 0.02);
// the tied output layer covers the task tokens too. With random_init the pre-trained
// weights are not copied: the paper's "without pre-training" ablation.
Gpt *task_model_from_pretrained(const Gpt *pretrained, const Tokenizer *tokenizer, Tokenizer *task_tokenizer,
                                TaskHeadConfig head, bool random_init, uint64_t seed);
// The same, with the new weights (and, with random_init, all of them) drawn by `scale`
// (gpt/model.h); task_model_from_pretrained draws them as WEIGHTS_GPT1.
Gpt *task_model_from_pretrained_as(const Gpt *pretrained, const Tokenizer *tokenizer, Tokenizer *task_tokenizer,
                                   TaskHeadConfig head, bool random_init, uint64_t seed, WeightScale scale);

// The model's outputs for n examples: probabilities [n, classes or options], or the
// predicted score [n, 1] for regression. Dropout off, no gradients.
void task_predict(Gpt *model, const Tokenizer *tokenizer, const EncodedExample *examples, int n, int batch,
                  float *outputs);

typedef struct TaskMetrics {
    int n;
    double accuracy;       // classification-like tasks
    double f1;             // binary tasks: F1 of class 1
    double pearson, spearman;  // regression
    double mean_loss;      // L2
} TaskMetrics;

TaskMetrics task_metrics(const GptConfig *config, const EncodedExample *examples, int n, const float *outputs);
int output_width(const GptConfig *config, const EncodedExample *example);  // classes, options, or 1

typedef struct FinetuneOptions {
    int epochs, batch;
    SgdOptions sgd;
    float lambda;          // weight of the auxiliary LM loss; 0 turns it off
    uint64_t seed;         // example order and dropout
    const char *out;       // the best checkpoint (by dev accuracy, or dev loss for regression)
    const char *log;       // CSV: step, epoch, l2, l1, l3, dev_metric
    bool quiet;
} FinetuneOptions;

typedef struct FinetuneReport {
    long steps;
    float l2, l1, l3;            // of the last step
    TaskMetrics best_dev;        // the dev metrics of the kept checkpoint
    int best_epoch;
} FinetuneReport;

// One step: forward, L3, backward, θ ← θ − η∇θ L3, release the step's memory.
// losses receives L2, L1 (0 when λ = 0) and L3.
void finetune_step(Gpt *model, const TaskBatch *batch, float lambda, const SgdOptions *sgd, float lr,
                   float losses[3]);
bool finetune(Gpt *model, const Tokenizer *tokenizer, const EncodedExample *train, int n_train,
              const EncodedExample *dev, int n_dev, const FinetuneOptions *options, FinetuneReport *report,
              char *error, size_t error_len);

#endif
