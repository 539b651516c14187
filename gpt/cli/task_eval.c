// gpt eval --task: the accuracy (and F1, or Pearson and Spearman) of a fine-tuned
// checkpoint on a task file, and optionally its per-example predictions.
#include <stdio.h>
#include <stdlib.h>

#include "gpt/cli/commands.h"
#include "gpt/task_heads.h"
#include "gpt/task_metrics.h"

static void write_predictions(const Command *command, const char *path, const TaskModel *model,
                              const EncodedDataset *data, const float *outputs, int width) {
    FILE *file = open_output_or_exit(command, path);
    bool regression = model->head.regression;
    fprintf(file, regression ? "index\tpredicted\ttarget\n" : "index\tpredicted\tlabel\tprobabilities\n");
    for (int i = 0; i < data->n; i++) {
        const float *p = outputs + (long)i * width;
        if (regression) {
            fprintf(file, "%d\t%.4f\t%.4f\n", i, p[0], data->examples[i].target);
            continue;
        }
        int best = 0;
        for (int k = 1; k < width; k++)
            if (p[k] > p[best]) best = k;
        fprintf(file, "%d\t%d\t%d\t", i, best, data->examples[i].label);
        for (int k = 0; k < width; k++) fprintf(file, "%s%.4f", k ? " " : "", p[k]);
        fprintf(file, "\n");
    }
    close_output_or_exit(file, path, !ferror(file));
}

int task_eval_command(const Command *command, const TaskEvalArgs *a) {
    if (a->predictions != NULL) check_output_or_exit(command, a->predictions);
    Tokenizer tokenizer;
    TaskModel *model = load_task_checkpoint_or_exit(command, a->ckpt, &tokenizer, NULL);
    const TaskHeadConfig *head = &model->head;
    TaskReadOptions read = read_options_or_exit(command, a->task, a->format, head->regression, a->skip_bad);
    if (head->task != read.task)
        usage_error(command, "%s has a %s head, not %s", a->ckpt, task_name(head->task), task_name(read.task));
    read.labels = (const char *const *)model->label_names;
    read.n_labels = model->n_label_names;
    TaskDataset data;
    load_task_data_or_exit(command, &data, a->data, &read);
    EncodedDataset encoded = encode_or_exit_dataset(command, &data, &tokenizer, a->data);
    check_task_data_fits_or_exit(command, a->data, a->ckpt, &data, &encoded, head);
    check_task_memory_or_exit(command, &model->gpt->config, head->task, &encoded, a->batch, false);
    int width = output_width(head, &encoded.examples[0]);
    float *outputs = malloc(sizeof(float) * (size_t)encoded.n * (size_t)width);
    if (outputs == NULL) runtime_error("out of memory for the outputs of %d examples", encoded.n);
    task_predict(model, &tokenizer, encoded.examples, encoded.n, a->batch, outputs);
    long bad = first_non_finite(outputs, (long)encoded.n * width);
    if (bad >= 0)  // finite weights, but so large that the activations overflow
        runtime_error("%s: the model's output for example %ld of %s is not finite: its activations overflow (a "
                      "damaged checkpoint?)", a->ckpt, bad / width + 1, a->data);
    TaskMetrics m = task_metrics(head, encoded.examples, encoded.n, outputs);
    if (head->regression) {
        printf("pearson: %.4f\nspearman: %.4f\nmse: %.4f\n", m.pearson, m.spearman, m.mean_loss);
    } else {
        printf("accuracy: %.4f\n", m.accuracy);
        if (width == 2 && head->task != TASK_CHOICE) printf("f1: %.4f\n", m.f1);
    }
    fprintf(stderr, "%d examples in batches of %d, mean L2 %.4f\n", m.n, a->batch, m.mean_loss);
    if (a->predictions != NULL) write_predictions(command, a->predictions, model, &encoded, outputs, width);
    free(outputs);
    encoded_dataset_free(&encoded);
    task_dataset_free(&data);
    task_model_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
