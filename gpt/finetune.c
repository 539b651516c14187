// isatty and fileno are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/finetune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autograd/tape.h"
#include "gpt/io/clock.h"
#include "gpt/io/log_file.h"
#include "gpt/task_heads.h"
#include "tensor/kernels.h"

// Same name and shape: copied. The token embedding: its first rows (the text tokens)
// are copied; the task tokens' rows keep their fresh N(0, 0.02) values.
static void copy_pretrained_weights(Gpt *model, const Gpt *pretrained) {
    for (int i = 0; i < pretrained->params.count; i++) {
        const Tensor *src = &pretrained->params.items[i]->tensor;
        Tensor *dst = parameter_find(&model->params, src->name);
        if (dst == NULL || tensor_cols(dst) != tensor_cols(src) || dst->size < src->size) continue;
        if (shape_equal(dst->shape, src->shape) || strcmp(src->name, "wte.weight") == 0)
            memcpy(dst->data, src->data, sizeof(float) * (size_t)src->size);
    }
}

Gpt *task_model_from_pretrained_as(const Gpt *pretrained, const Tokenizer *tokenizer, Tokenizer *task_tokenizer,
                                   TaskHeadConfig head, bool random_init, uint64_t seed, WeightScale scale) {
    tokenizer_copy(task_tokenizer, tokenizer);
    task_tokenizer->n_task_tokens = N_TASK_TOKENS;
    GptConfig config = pretrained->config;
    config.vocab_size = tokenizer_vocab_size(task_tokenizer);
    config.head = head;
    Gpt *model = gpt_create(&config);
    gpt_init_weights_as(model, seed, scale);
    if (!random_init) copy_pretrained_weights(model, pretrained);
    return model;
}

Gpt *task_model_from_pretrained(const Gpt *pretrained, const Tokenizer *tokenizer, Tokenizer *task_tokenizer,
                                TaskHeadConfig head, bool random_init, uint64_t seed) {
    return task_model_from_pretrained_as(pretrained, tokenizer, task_tokenizer, head, random_init, seed, WEIGHTS_GPT1);
}

int output_width(const GptConfig *config, const EncodedExample *example) {
    if (config->head.regression) return 1;
    if (config->head.task == TASK_CHOICE) return example->n_fields - 1;
    return config->head.n_outputs;
}

void task_predict(Gpt *model, const Tokenizer *tokenizer, const EncodedExample *examples, int n, int batch,
                  float *outputs) {
    if (n == 0) return;
    int width = output_width(&model->config, &examples[0]);
    TaskBatch b;
    task_batch_init(&b, model->config.head.task, batch * task_views(model->config.head.task, &examples[0]),
                    model->config.n_ctx);
    EvaluationMode saved = gpt_begin_evaluation(model);
    for (int start = 0; start < n; start += batch) {
        int count = n - start < batch ? n - start : batch;
        task_batch_fill(&b, task_tokens(tokenizer), examples + start, count);
        Tensor *logits = task_forward(model, &b, 0.0f).logits;
        float *out = outputs + (long)start * width;
        if (model->config.head.regression)
            memcpy(out, logits->data, sizeof(float) * (size_t)count);
        else
            softmax_forward(out, logits->data, count, width);
        tape_reset();
    }
    gpt_end_evaluation(model, saved);
    task_batch_free(&b);
}

void finetune_step(Gpt *model, const TaskBatch *batch, float lambda, const SgdOptions *sgd, float lr,
                   float losses[3]) {
    TaskOutput out = task_forward(model, batch, lambda);
    backward(out.l3);
    losses[0] = out.l2->data[0];
    losses[1] = out.l1 ? out.l1->data[0] : 0.0f;
    losses[2] = out.l3->data[0];
    sgd_update(&model->params, sgd, lr);
    tape_reset();
}

// --- Metrics --------------------------------------------------------------------

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
    Ranked *r = malloc(sizeof *r * (size_t)n);
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

static void regression_metrics(TaskMetrics *m, const EncodedExample *examples, int n, const float *outputs) {
    double *x = malloc(sizeof(double) * (size_t)n * 4), *y = x + n, *rx = x + 2 * n, *ry = x + 3 * n;
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

TaskMetrics task_metrics(const GptConfig *config, const EncodedExample *examples, int n, const float *outputs) {
    TaskMetrics m = {.n = n};
    if (n == 0) return m;
    if (config->head.regression) {
        regression_metrics(&m, examples, n, outputs);
        return m;
    }
    int width = output_width(config, &examples[0]);
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
    if (width == 2 && config->head.task != TASK_CHOICE)
        m.f1 = true_pos > 0 ? 2.0 * true_pos / (2.0 * true_pos + false_pos + false_neg) : 0.0;
    return m;
}

// --- The training loop ------------------------------------------------------------

// The development score to maximise: accuracy, or −MSE for regression.
static double dev_score(const GptConfig *config, const TaskMetrics *m) {
    return config->head.regression ? -m->mean_loss : m->accuracy;
}

static TaskMetrics evaluate_dev(Gpt *model, const Tokenizer *tokenizer, const EncodedExample *dev, int n, int batch) {
    float *outputs = malloc(sizeof(float) * (size_t)n * (size_t)output_width(&model->config, &dev[0]));
    task_predict(model, tokenizer, dev, n, batch, outputs);
    TaskMetrics m = task_metrics(&model->config, dev, n, outputs);
    free(outputs);
    return m;
}

static void shuffle(int *order, int n, Rng *rng) {
    for (int i = n - 1; i > 0; i--) {
        int j = rng_below(rng, i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

typedef struct FinetuneRun {
    Gpt *model;
    const Tokenizer *tokenizer;
    const FinetuneOptions *o;
    TaskBatch batch;
    EncodedExample *picked;   // the examples of the current batch, in order
    FILE *log;
    double start;
    long total_steps;
    bool tty;
} FinetuneRun;

static void print_step(FinetuneRun *r, int epoch, long step, const float losses[3], const char *dev, bool keep) {
    double elapsed = seconds_now() - r->start, eta = elapsed / (double)step * (double)(r->total_steps - step);
    int eta_s = (int)fmin(eta, 1e9);
    fprintf(stderr, "%sepoch %d/%d step %ld/%ld | L2 %.4f | L1 %.4f | L3 %.4f | dev %s | %d:%02d, ETA %d:%02d%s",
            r->tty ? "\r" : "", epoch + 1, r->o->epochs, step, r->total_steps, losses[0], losses[1], losses[2], dev,
            (int)elapsed / 60, (int)elapsed % 60, eta_s / 60, eta_s % 60, keep || !r->tty ? "\n" : "  ");
    fflush(stderr);
}

static bool run_epoch(FinetuneRun *r, int epoch, const EncodedExample *train, int n_train, int *order, Rng *rng,
                      long *step, FinetuneReport *report, char *error, size_t error_len) {
    shuffle(order, n_train, rng);
    double last_print = 0;
    for (int start = 0; start < n_train; start += r->o->batch) {
        int count = n_train - start < r->o->batch ? n_train - start : r->o->batch;
        for (int i = 0; i < count; i++) r->picked[i] = train[order[start + i]];
        task_batch_fill(&r->batch, task_tokens(r->tokenizer), r->picked, count);
        float losses[3];
        finetune_step(r->model, &r->batch, r->o->lambda, &r->o->sgd, learning_rate_at(&r->o->sgd, *step, r->total_steps),
                      losses);
        if (!isfinite(losses[2])) {
            snprintf(error, error_len, "step %ld: the loss became %g: try a smaller learning rate than --lr %g",
                     *step + 1, (double)losses[2], (double)r->o->sgd.lr);
            return false;
        }
        (*step)++;
        report->l2 = losses[0], report->l1 = losses[1], report->l3 = losses[2];
        if (r->log) fprintf(r->log, "%ld,%d,%.6f,%.6f,%.6f,\n", *step, epoch + 1, losses[0], losses[1], losses[2]);
        if (!r->o->quiet && r->tty && seconds_now() - last_print > 0.25) {
            print_step(r, epoch, *step, losses, "-", false);
            last_print = seconds_now();
        }
    }
    return true;
}

// After each epoch: the dev metric decides whether this model is the one to keep.
static bool end_epoch(FinetuneRun *r, int epoch, long step, const EncodedExample *dev, int n_dev,
                      FinetuneReport *report, char *error, size_t error_len) {
    char dev_text[64] = "-";
    bool better = true;
    if (n_dev > 0) {
        TaskMetrics m = evaluate_dev(r->model, r->tokenizer, dev, n_dev, r->o->batch);
        snprintf(dev_text, sizeof dev_text, r->model->config.head.regression ? "pearson %.4f" : "acc %.4f",
                 r->model->config.head.regression ? m.pearson : m.accuracy);
        better = report->best_epoch == 0 || dev_score(&r->model->config, &m) > dev_score(&r->model->config, &report->best_dev);
        if (better) report->best_dev = m, report->best_epoch = epoch + 1;
        if (r->log) fprintf(r->log, "%ld,%d,,,,%.6f\n", step, epoch + 1, r->model->config.head.regression ? m.pearson : m.accuracy);
    }
    float losses[3] = {report->l2, report->l1, report->l3};
    if (!r->o->quiet) print_step(r, epoch, step, losses, dev_text, true);
    if (!better || r->o->out == NULL) return true;
    TrainingState state = {.step = step};
    return checkpoint_save(r->o->out, r->model, r->tokenizer, &state, error, error_len);
}

bool finetune(Gpt *model, const Tokenizer *tokenizer, const EncodedExample *train, int n_train,
              const EncodedExample *dev, int n_dev, const FinetuneOptions *o, FinetuneReport *report, char *error,
              size_t error_len) {
    *report = (FinetuneReport){0};
    FinetuneRun r = {.model = model, .tokenizer = tokenizer, .o = o, .start = seconds_now(),
                     .total_steps = (long)o->epochs * ((n_train + o->batch - 1) / o->batch), .tty = isatty(fileno(stderr))};
    if (o->log != NULL &&
        (r.log = log_file_open(o->log, false, "step,epoch,l2,l1,l3,dev_metric", error, error_len)) == NULL)
        return false;
    task_batch_init(&r.batch, model->config.head.task, o->batch * task_views(model->config.head.task, &train[0]),
                    model->config.n_ctx);
    r.picked = malloc(sizeof *r.picked * (size_t)o->batch);
    int *order = malloc(sizeof(int) * (size_t)n_train);
    for (int i = 0; i < n_train; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, o->seed);
    rng_seed(&model->dropout_rng, o->seed ^ 0xD0D0D0D0ull);
    long step = 0;
    bool ok = true;
    for (int epoch = 0; ok && epoch < o->epochs; epoch++) {
        gpt_set_training(model, true);
        ok = run_epoch(&r, epoch, train, n_train, order, &rng, &step, report, error, error_len);
        gpt_set_training(model, false);
        if (ok) ok = end_epoch(&r, epoch, step, dev, n_dev, report, error, error_len);
    }
    report->steps = step;
    free(order);
    free(r.picked);
    task_batch_free(&r.batch);
    if (r.log != NULL) ok = log_file_close(r.log, o->log, ok, error, error_len);
    return ok;
}
