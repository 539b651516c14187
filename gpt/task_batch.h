// A batch of fine-tuning examples turned into padded token sequences.
//
// Sequences are padded on the right. Because attention is causal, padding placed
// after the extract token can never change the hidden state at <e>, so no
// attention mask is needed; the padding is excluded from the LM loss by giving
// it no target.
#ifndef GPT1_TASK_BATCH_H
#define GPT1_TASK_BATCH_H

#include "gpt/task_inputs.h"
#include "gpt/tasks/task_kind.h"

typedef struct TaskBatch {
    TaskKind task;
    int n_examples;
    int views;          // sequences per example: 1, 2 (similarity) or the number of options
    int n_sequences;    // n_examples · views; similarity: AB and BA of each example side by side
    int seq;            // the longest sequence; every row is padded to it
    int *tokens;        // [n_sequences, seq]; padding is token 0
    int *lm_targets;    // [n_sequences, seq]: the next real token, or CROSS_ENTROPY_IGNORE
    int *extract_rows;  // [n_sequences]: row of <e> in the flattened [n_sequences · seq] positions
    int *labels;        // [n_examples]
    float *targets;     // [n_examples]
    int *lengths;       // [n_sequences]: real tokens per sequence
    int capacity;       // sequences the buffers hold
    int n_ctx;
} TaskBatch;

// Views per example for a task (options for multiple choice = fields − 1).
int task_views(TaskKind task, const EncodedExample *example);
// The longest sequence of any of the n examples, at most n_ctx: a batch's `seq` is
// never more (what a step's memory is estimated with).
int task_longest_sequence(TaskKind task, const EncodedExample *examples, int n, int n_ctx);
void task_batch_init(TaskBatch *batch, TaskKind task, int max_sequences, int n_ctx);
void task_batch_free(TaskBatch *batch);
// Fills the batch from n examples (all with the same number of views).
void task_batch_fill(TaskBatch *batch, TaskTokens tokens, const EncodedExample *examples, int n);

#endif
