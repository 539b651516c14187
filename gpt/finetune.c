#include "gpt/finetune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "autograd/tape.h"
#include "gpt/io/log_file.h"
#include "gpt/io/progress.h"
#include "gpt/task_heads.h"

TaskLosses finetune_step(TaskModel *model, const TaskBatch *batch, float lambda, const SgdOptions *sgd, float lr) {
    TaskOutput out = task_forward(model, batch, lambda);
    backward(out.l3);
    TaskLosses losses = {.l1 = out.l1 ? out.l1->data[0] : 0.0f, .l2 = out.l2->data[0], .l3 = out.l3->data[0]};
    sgd_update(&model->gpt->params, sgd, lr);
    tape_reset();
    return losses;
}

double dev_selection_score(const TaskHeadConfig *head, const TaskMetrics *m) {
    return head->regression ? -m->mean_loss : m->accuracy;
}

// What the progress line and the log show of the dev metrics: Pearson's r, or the accuracy.
static double dev_metric(const TaskHeadConfig *head, const TaskMetrics *m) {
    return head->regression ? m->pearson : m->accuracy;
}

static TaskMetrics evaluate_dev(TaskModel *model, const Tokenizer *tokenizer, const EncodedExample *dev, int n,
                                int batch) {
    size_t count = (size_t)n * (size_t)output_width(&model->head, &dev[0]);
    float *outputs = malloc(sizeof(float) * count);
    if (outputs == NULL) {
        fprintf(stderr, "finetune: out of memory for the outputs of %d dev examples\n", n);
        abort();
    }
    task_predict(model, tokenizer, dev, n, batch, outputs);
    TaskMetrics m = task_metrics(&model->head, dev, n, outputs);
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
    TaskModel *model;
    const Tokenizer *tokenizer;
    const FinetuneOptions *o;
    TaskBatch batch;
    EncodedExample *picked;   // the examples of the current batch, in order
    int *order;               // the training examples' order in this epoch
    FILE *log;
    Progress progress;
} FinetuneRun;

// "epoch 2/3 step 40/60 | L2 0.6012 | L1 2.9141 | L3 2.0583 | dev acc 0.7500", then the times.
static void print_step(FinetuneRun *r, int epoch, long step, TaskLosses losses, const char *dev, bool keep_line) {
    char text[192];
    snprintf(text, sizeof text, "epoch %d/%d step %ld/%ld | L2 %.4f | L1 %.4f | L3 %.4f | dev %s", epoch + 1,
             r->o->epochs, step, r->progress.total_steps, losses.l2, losses.l1, losses.l3, dev);
    progress_print(&r->progress, step, text, keep_line);
}

static bool run_epoch(FinetuneRun *r, int epoch, const EncodedExample *train, int n_train, Rng *rng, long *step,
                      FinetuneReport *report, char *error, size_t error_len) {
    shuffle(r->order, n_train, rng);
    for (int start = 0; start < n_train; start += r->o->batch) {
        int count = n_train - start < r->o->batch ? n_train - start : r->o->batch;
        for (int i = 0; i < count; i++) r->picked[i] = train[r->order[start + i]];
        task_batch_fill(&r->batch, task_tokens(r->tokenizer), r->picked, count);
        float lr = learning_rate_at(&r->o->sgd, *step, r->progress.total_steps);
        TaskLosses losses = finetune_step(r->model, &r->batch, r->o->lambda, &r->o->sgd, lr);
        if (!isfinite(losses.l3)) {
            describe_divergence(error, error_len, *step + 1, losses.l3, r->o->sgd.lr);
            return false;
        }
        (*step)++;
        report->last = losses;
        if (r->log) fprintf(r->log, "%ld,%d,%.6f,%.6f,%.6f,\n", *step, epoch + 1, losses.l2, losses.l1, losses.l3);
        if (!r->o->quiet) print_step(r, epoch, *step, losses, "-", false);
    }
    return true;
}

// After each epoch: the dev metric decides whether this model is the one to keep.
static bool end_epoch(FinetuneRun *r, int epoch, long step, const EncodedExample *dev, int n_dev,
                      FinetuneReport *report, char *error, size_t error_len) {
    const TaskHeadConfig *head = &r->model->head;
    char dev_text[64] = "-";
    bool better = true;
    if (n_dev > 0) {
        TaskMetrics m = evaluate_dev(r->model, r->tokenizer, dev, n_dev, r->o->batch);
        if (head->regression)
            snprintf(dev_text, sizeof dev_text, "mse %.4f pearson %.4f", m.mean_loss, m.pearson);
        else
            snprintf(dev_text, sizeof dev_text, "acc %.4f", m.accuracy);
        better = report->best_epoch == 0 || dev_selection_score(head, &m) > dev_selection_score(head, &report->best_dev);
        if (better) report->best_dev = m, report->best_epoch = epoch + 1;
        if (r->log) fprintf(r->log, "%ld,%d,,,,%.6f\n", step, epoch + 1, dev_metric(head, &m));
    }
    if (!r->o->quiet) print_step(r, epoch, step, report->last, dev_text, true);
    if (!better || r->o->out == NULL) return true;
    TrainingState state = {.step = step};
    return task_checkpoint_save(r->o->out, r->model, r->tokenizer, &state, error, error_len);
}

static bool run_epochs(FinetuneRun *r, const EncodedExample *train, int n_train, const EncodedExample *dev, int n_dev,
                       FinetuneReport *report, char *error, size_t error_len) {
    Rng rng;
    rng_seed(&rng, r->o->seed);
    rng_seed(&r->model->gpt->dropout_rng, r->o->seed ^ 0xD0D0D0D0ull);
    for (int i = 0; i < n_train; i++) r->order[i] = i;
    bool ok = true;
    for (int epoch = 0; ok && epoch < r->o->epochs; epoch++) {
        gpt_set_training(r->model->gpt, true);
        ok = run_epoch(r, epoch, train, n_train, &rng, &report->steps, report, error, error_len);
        gpt_set_training(r->model->gpt, false);
        if (ok) ok = end_epoch(r, epoch, report->steps, dev, n_dev, report, error, error_len);
    }
    return ok;
}

bool finetune(TaskModel *model, const Tokenizer *tokenizer, const EncodedExample *train, int n_train,
              const EncodedExample *dev, int n_dev, const FinetuneOptions *o, FinetuneReport *report, char *error,
              size_t error_len) {
    *report = (FinetuneReport){0};
    FinetuneOptions clamped = *o;
    if (clamped.batch > n_train) clamped.batch = n_train > 0 ? n_train : 1;  // buffers by need, same steps
    o = &clamped;
    long total_steps = (long)o->epochs * ((n_train + o->batch - 1) / o->batch);
    FinetuneRun r = {.model = model, .tokenizer = tokenizer, .o = o, .progress = progress_start(0, total_steps)};
    r.picked = malloc(sizeof *r.picked * (size_t)o->batch);
    r.order = malloc(sizeof *r.order * (size_t)n_train);
    bool ok = r.picked != NULL && r.order != NULL;
    if (!ok) snprintf(error, error_len, "out of memory for %d training examples in batches of %d", n_train, o->batch);
    if (ok && o->log != NULL)
        ok = (r.log = log_file_open(o->log, false, "step,epoch,l2,l1,l3,dev_metric", error, error_len)) != NULL;
    if (ok) {
        task_batch_init(&r.batch, model->head.task, o->batch * task_views(model->head.task, &train[0]),
                        model->gpt->config.n_ctx);
        ok = run_epochs(&r, train, n_train, dev, n_dev, report, error, error_len);
        task_batch_free(&r.batch);
    }
    if (r.log != NULL) ok = log_file_close(r.log, o->log, ok, error, error_len);
    free(r.order);
    free(r.picked);
    return ok;
}
