#include "gpt/task_metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tensor/kernels.h"

static void *metrics_alloc(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (p == NULL) {
        fprintf(stderr, "task_metrics: out of memory for %zu bytes\n", bytes);
        abort();
    }
    return p;
}

// r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)²·Σ(y − ȳ)²); 0 when either side is constant.
static double pearson(const double *x, const double *y, int n) {
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) mx += x[i], my += y[i];
    mx /= n, my /= n;
    for (int i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0.0;
}

typedef struct Ranked {
    double value;
    int index;
} Ranked;

static int compare_ranked(const void *a, const void *b) {
    double x = ((const Ranked *)a)->value, y = ((const Ranked *)b)->value;
    return (x > y) - (x < y);
}

// Ranks from 1, ties sharing the mean of their ranks (as Spearman's rho needs).
static void ranks(const double *values, int n, double *out) {
    Ranked *r = metrics_alloc(sizeof *r * (size_t)n);
    for (int i = 0; i < n; i++) r[i] = (Ranked){values[i], i};
    qsort(r, (size_t)n, sizeof *r, compare_ranked);
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && r[j + 1].value == r[i].value) j++;
        for (int k = i; k <= j; k++) out[r[k].index] = 0.5 * (i + j) + 1.0;
        i = j + 1;
    }
    free(r);
}

// Spearman's rho is Pearson's r of the ranks; mean_loss is the mean squared error.
static void regression_metrics(TaskMetrics *m, const EncodedExample *examples, int n, const float *outputs) {
    double *x = metrics_alloc(sizeof(double) * (size_t)n * 4), *y = x + n, *rx = x + 2 * n, *ry = x + 3 * n;
    for (int i = 0; i < n; i++) {
        x[i] = outputs[i], y[i] = examples[i].target;
        m->mean_loss += (x[i] - y[i]) * (x[i] - y[i]) / n;
    }
    m->pearson = pearson(x, y, n);
    ranks(x, n, rx);
    ranks(y, n, ry);
    m->spearman = pearson(rx, ry, n);
    free(x);
}

// Graded examples have no class (label −1); class examples have no score.
bool task_examples_fit_head(const TaskHeadConfig *head, const EncodedExample *examples, int n, char *error,
                            size_t error_len) {
    for (int i = 0; i < n; i++) {
        int label = examples[i].label, width = output_width(head, &examples[i]);
        if (head->regression && label >= 0)
            snprintf(error, error_len, "example %d has a class (%d), but the head predicts a graded score "
                     "(regression)", i + 1, label);
        else if (!head->regression && label < 0)
            snprintf(error, error_len, "example %d has a graded score, not a class: the head predicts %d %s", i + 1,
                     width, head->task == TASK_CHOICE ? "options" : "classes");
        else if (!head->regression && label >= width)
            snprintf(error, error_len, "example %d has %s %d, but the head has %d outputs", i + 1,
                     head->task == TASK_CHOICE ? "the right option" : "class", label, width);
        else
            continue;
        return false;
    }
    return true;
}

// Accuracy: the largest output is the label. F1 of class 1 = 2·TP / (2·TP + FP + FN).
// mean_loss: the mean of −log p[label], L2 as the training loop reports it.
TaskMetrics task_metrics(const TaskHeadConfig *head, const EncodedExample *examples, int n, const float *outputs) {
    TaskMetrics m = {.n = n};
    if (n == 0) return m;
    if (head->regression) {
        regression_metrics(&m, examples, n, outputs);
        return m;
    }
    int width = output_width(head, &examples[0]);
    int correct = 0, true_pos = 0, false_pos = 0, false_neg = 0;
    for (int i = 0; i < n; i++) {
        const float *p = outputs + (long)i * width;
        int predicted = argmax(p, width), label = examples[i].label;
        correct += predicted == label;
        true_pos += predicted == 1 && label == 1;
        false_pos += predicted == 1 && label != 1;
        false_neg += predicted != 1 && label == 1;
        m.mean_loss -= log(fmax(p[label], 1e-30)) / n;
    }
    m.accuracy = (double)correct / n;
    if (width == 2 && head->task != TASK_CHOICE)
        m.f1 = true_pos > 0 ? 2.0 * true_pos / (2.0 * true_pos + false_pos + false_neg) : 0.0;
    return m;
}
