// Supervised fine-tuning (section 3.2): the task model's linear head on the final hidden
// state at the extract token, its loss L2, and the combined objective L3 = L2 + λ·L1 with
// the language-model loss on the task inputs as an auxiliary objective.
#ifndef GPT1_TASK_HEADS_H
#define GPT1_TASK_HEADS_H

#include "gpt/task_batch.h"
#include "gpt/task_model.h"

typedef struct TaskOutput {
    Tensor *logits;  // classify/entail/similar: [examples, classes]; choice: [examples, options];
                     // regression: [examples, 1]
    Tensor *l2;      // the task loss
    Tensor *l1;      // the LM loss on the task inputs; NULL when λ = 0
    Tensor *l3;      // L2 + λ·L1: what SGD minimises
} TaskOutput;

Tensor *extract_states(Tensor *h, const int *extract_rows, int n_sequences);
Tensor *classifier_logits(TaskModel *model, Tensor *h_extract);
Tensor *combine_similarity(Tensor *h_extract, SimilarityCombine combine);
Tensor *choice_logits(TaskModel *model, Tensor *h_extract, int n_options);
Tensor *task_loss(const TaskHeadConfig *head, Tensor *logits, const TaskBatch *batch);
Tensor *combined_loss(Tensor *l2, Tensor *l1, float lambda);

// The whole forward pass of a batch: hidden states, extract vectors, head, L2, L1, L3.
TaskOutput task_forward(TaskModel *model, const TaskBatch *batch, float lambda);

// The model's outputs for n examples: probabilities [n, classes or options], or the
// predicted score [n, 1] for regression. Dropout off, no gradients.
void task_predict(TaskModel *model, const Tokenizer *tokenizer, const EncodedExample *examples, int n, int batch,
                  float *outputs);

#endif
