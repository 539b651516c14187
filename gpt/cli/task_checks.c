// Checks that fine-tuning and task evaluation make before any work: the data must be what
// the model's head predicts, and a batch of it must fit the step memory.
#include <stdio.h>

#include "gpt/cli/commands.h"
#include "gpt/task_batch.h"
#include "gpt/task_metrics.h"

void check_task_data_fits_or_exit(const Command *command, const char *path, const char *model_name,
                                  const TaskDataset *data, const EncodedDataset *encoded, const TaskHeadConfig *head) {
    if (data->graded && !head->regression)
        usage_error(command, "%s holds graded scores, but %s predicts %d %s: give it data of that kind", path,
                    model_name, head->task == TASK_CHOICE ? 1 : head->n_outputs,
                    head->task == TASK_CHOICE ? "option score" : "classes");
    if (!data->graded && head->regression)
        usage_error(command, "%s holds classes, but %s predicts a graded score (a regression head): give it graded "
                    "data", path, model_name);
    if (!head->regression && head->task != TASK_CHOICE && data->n_labels != head->n_outputs)
        usage_error(command, "%s has %d classes, but the head of %s has %d outputs", path, data->n_labels, model_name,
                    head->n_outputs);
    char error[256];
    if (!task_examples_fit_head(head, encoded->examples, encoded->n, error, sizeof error))
        usage_error(command, "%s: %s", path, error);
}

void check_task_memory_or_exit(const Command *command, const GptConfig *config, TaskKind task,
                               const EncodedDataset *data, int batch, bool training) {
    if (data->n == 0) return;
    long examples = data->n < batch ? data->n : batch;
    long sequences = examples * task_views(task, &data->examples[0]);
    check_step_memory_or_exit(command, config, sequences,
                              task_longest_sequence(task, data->examples, data->n, config->n_ctx), training);
}
