// A held-out dev set for data sets that have none (MRPC, Story Cloze), and a
// one-line summary of a dataset.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tasks/task_data.h"
#include "tensor/rng.h"

// The classes, copied: train and dev each own theirs.
static bool copy_classes(TaskDataset *to, const TaskDataset *from) {
    int n = from->n_labels;
    if (n == 0) return true;  // graded: no classes
    to->label_names = calloc((size_t)n, sizeof(char *));
    to->label_counts = calloc((size_t)n, sizeof(int));
    if (to->label_names == NULL || to->label_counts == NULL) return false;
    for (to->n_labels = 0; to->n_labels < n; to->n_labels++) {
        size_t len = strlen(from->label_names[to->n_labels]) + 1;
        char *copy = malloc(len);
        if (copy == NULL) return false;
        to->label_names[to->n_labels] = memcpy(copy, from->label_names[to->n_labels], len);
    }
    return true;
}

// An empty dataset of the same kind as `all`, with room for n examples.
static bool make_part(TaskDataset *part, const TaskDataset *all, int n) {
    *part = (TaskDataset){.task = all->task, .format = all->format, .graded = all->graded, .n_options = all->n_options};
    part->examples = calloc((size_t)n, sizeof(TaskExample));
    return part->examples != NULL && copy_classes(part, all);
}

// Marks n_dev examples of n for dev: the first n_dev positions of a Fisher-Yates
// shuffle of 0..n-1, which is a uniform sample that depends only on the seed.
static bool choose_dev(bool *to_dev, int n, int n_dev, uint64_t seed) {
    int *order = malloc(sizeof(int) * (size_t)n);
    if (order == NULL) return false;
    for (int i = 0; i < n; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, seed);
    for (int i = 0; i < n_dev; i++) {
        int j = i + rng_below(&rng, n - i);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
        to_dev[order[i]] = true;
    }
    free(order);
    return true;
}

// Moves the examples (their text pointers) in file order; `all` is left empty.
static void move_examples(TaskDataset *all, const bool *to_dev, TaskDataset *train, TaskDataset *dev) {
    for (int i = 0; i < all->n_examples; i++) {
        TaskDataset *part = to_dev[i] ? dev : train;
        TaskExample *example = &all->examples[i];
        part->examples[part->n_examples++] = *example;
        if (example->label >= 0 && part->n_labels > 0) part->label_counts[example->label]++;
    }
    all->n_examples = 0;  // the texts belong to train and dev now
    task_dataset_free(all);
}

bool task_dataset_split(TaskDataset *all, int n_dev, uint64_t seed, TaskDataset *train, TaskDataset *dev) {
    int n = all->n_examples;
    *train = *dev = (TaskDataset){0};
    if (n_dev < 1 || n_dev >= n) {
        snprintf(train->error, sizeof train->error,
                 "cannot hold out %d of %d examples for dev: the dev size must be from 1 to %d", n_dev, n, n - 1);
        return false;
    }
    bool *to_dev = calloc((size_t)n, sizeof(bool));
    bool ok = to_dev != NULL && choose_dev(to_dev, n, n_dev, seed) && make_part(train, all, n - n_dev) &&
              make_part(dev, all, n_dev);
    if (ok) move_examples(all, to_dev, train, dev);
    free(to_dev);
    if (ok) return true;
    task_dataset_free(train);
    task_dataset_free(dev);
    snprintf(train->error, sizeof train->error, "out of memory splitting %d examples", n);
    return false;
}

static void describe_labels(FILE *out, const TaskDataset *dataset) {
    if (dataset->graded) {
        float low = dataset->examples[0].score, high = low;
        double sum = 0;
        for (int i = 0; i < dataset->n_examples; i++) {
            float score = dataset->examples[i].score;
            low = score < low ? score : low;
            high = score > high ? score : high;
            sum += score;
        }
        fprintf(out, "; scores %g to %g, mean %.3f", low, high, sum / dataset->n_examples);
        return;
    }
    fprintf(out, "; %s", dataset->task == TASK_CHOICE ? "right option" : "classes");
    for (int i = 0; i < dataset->n_labels; i++)
        fprintf(out, "%s %s %d", i ? "," : "", dataset->label_names[i], dataset->label_counts[i]);
}

void task_dataset_describe(FILE *out, const char *title, const TaskDataset *dataset) {
    fprintf(out, "%s: %s, %s%s, %d examples", title, task_format_name(dataset->format),
            task_name(dataset->task), dataset->graded ? " (graded)" : "", dataset->n_examples);
    if (dataset->task == TASK_CHOICE) fprintf(out, " of %d options", dataset->n_options);
    if (dataset->n_examples > 0) describe_labels(out, dataset);
    if (dataset->n_skipped > 0) fprintf(out, "; %d bad rows skipped", dataset->n_skipped);
    fputc('\n', out);
}
