// How well a task model's outputs match the examples' labels: accuracy, the F1 of class 1
// for binary tasks, Pearson and Spearman correlations for a graded score (the paper's
// metrics: Table 2 and 4), and the mean task loss L2.
#ifndef GPT1_TASK_METRICS_H
#define GPT1_TASK_METRICS_H

#include "gpt/task_model.h"

typedef struct TaskMetrics {
    int n;
    double accuracy;           // classification-like tasks
    double f1;                 // binary tasks: F1 of class 1
    double pearson, spearman;  // regression
    double mean_loss;          // L2
} TaskMetrics;

// Whether the head can score these examples: a graded score for a regression head; for
// a classifier a class from 0 to n_outputs − 1 (for multiple choice, one of the
// example's options). False with one line about the first example that does not fit.
bool task_examples_fit_head(const TaskHeadConfig *head, const EncodedExample *examples, int n, char *error,
                            size_t error_len);
// outputs: task_predict's, [n, output_width] (probabilities, or the predicted scores);
// the examples must fit the head (task_examples_fit_head).
TaskMetrics task_metrics(const TaskHeadConfig *head, const EncodedExample *examples, int n, const float *outputs);

#endif
