// An experiment driver for the two-segment investigation (issue 17): fine-tunes a
// checkpoint (or a fresh model) on a task file with the library's own batches, heads
// and losses, and varies one thing at a time that `gpt finetune` keeps fixed: the
// optimiser, a learning-rate multiplier for the new parameters (head, task-token rows),
// the head's initial scale, the schedule. Not part of the build: tests/experiments/
// twoseg_lab.sh compiles it against build/libgpt1.a.
//
// Prints one line: the best dev accuracy, its epoch, the last epoch's train loss.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/checkpoint.h"
#include "gpt/finetune.h"
#include "gpt/task_heads.h"
#include "gpt/task_metrics.h"
#include "gpt/task_model.h"
#include "gpt/tasks/task_encode.h"

typedef struct Args {
    const char *task, *ckpt, *train, *dev, *opt, *decay, *init;
    int epochs, batch, warmup, max_train, seed, scratch_layers, scratch_d, scratch_heads, verbose, no_pretrain, grad_report, fan_in;
    float lr, lambda, new_lr_mult, head_std, init_std, emb_std, momentum, beta2, clip, dropout;
    int combine_add;
} Args;

static void die(const char *message) {
    fprintf(stderr, "twoseg_lab: %s\n", message);
    exit(2);
}

static TaskDataset lab_load(const char *path, TaskKind task, const TaskDataset *classes) {
    TaskReadOptions o = {.format = TASK_FORMAT_TSV, .task = task};
    if (classes && task != TASK_CHOICE) o.labels = (const char *const *)classes->label_names, o.n_labels = classes->n_labels;
    TaskDataset d;
    if (!task_data_load(&d, path, &o)) die(d.error);
    return d;
}

typedef struct Optimiser {
    float *scale;  // per value: the learning-rate multiplier
    float *m, *v;  // momentum / Adam moments
    long t;
} Optimiser;

// SGD, SGD with momentum, or Adam (β1 = momentum, β2), each with a per-value lr multiplier.
static void update(ParameterTable *p, Optimiser *o, const Args *a, float lr) {
    if (a->clip > 0) clip_gradients(p, a->clip);
    o->t++;
    double c1 = 1.0 - pow(a->momentum, (double)o->t), c2 = 1.0 - pow(a->beta2, (double)o->t);
    for (long i = 0; i < p->total; i++) {
        float g = p->grad[i], step;
        if (strcmp(a->opt, "adam") == 0) {
            o->m[i] = a->momentum * o->m[i] + (1 - a->momentum) * g;
            o->v[i] = a->beta2 * o->v[i] + (1 - a->beta2) * g * g;
            step = (float)((o->m[i] / c1) / (sqrt(o->v[i] / c2) + 1e-8));
        } else if (strcmp(a->opt, "momentum") == 0) {
            o->m[i] = a->momentum * o->m[i] + g;
            step = o->m[i];
        } else {
            step = g;
        }
        p->data[i] -= lr * o->scale[i] * step;
    }
    parameters_zero_grad(p);
}

static void set_scale(Gpt *model, Optimiser *o, float new_mult, int n_text_tokens) {
    ParameterTable *p = &model->params;
    for (long i = 0; i < p->total; i++) o->scale[i] = 1.0f;
    Tensor *head_w = parameter_find(p, "head.weight"), *head_b = parameter_find(p, "head.bias");
    Tensor *wte = parameter_find(p, "wte.weight");
    for (long i = 0; i < head_w->size; i++) o->scale[head_w->data - p->data + i] = new_mult;
    for (long i = 0; i < head_b->size; i++) o->scale[head_b->data - p->data + i] = new_mult;
    long d = tensor_cols(wte);
    for (long i = (long)n_text_tokens * d; i < wte->size; i++) o->scale[wte->data - p->data + i] = new_mult;
}

// The root-mean-square gradient of every parameter, averaged over the first steps, next
// to the parameter's own RMS: how far one SGD step moves it, relatively.
static void report_gradients(const ParameterTable *p, bool print) {
    static double sums[256];
    for (int i = 0; i < p->count && i < 256; i++) {
        const Tensor *t = &p->items[i]->tensor;
        const float *g = p->grad + p->items[i]->offset;
        double s = 0;
        for (long j = 0; j < t->size; j++) s += (double)g[j] * g[j];
        sums[i] += sqrt(s / t->size);
    }
    if (!print) return;
    for (int i = 0; i < p->count && i < 256; i++) {
        const Tensor *t = &p->items[i]->tensor;
        double s = 0;
        for (long j = 0; j < t->size; j++) s += (double)t->data[j] * t->data[j];
        printf("  %-28s grad rms %.2e  value rms %.2e\n", t->name, sums[i], sqrt(s / t->size));
    }
}

static double lab_dev_accuracy(TaskModel *model, const Tokenizer *tok, const EncodedDataset *dev) {
    float *out = malloc(sizeof(float) * (size_t)dev->n * 8);
    task_predict(model, tok, dev->examples, dev->n, 32, out);
    TaskMetrics m = task_metrics(&model->head, dev->examples, dev->n, out);
    free(out);
    return m.accuracy;
}

static TaskModel *lab_make_model(const Args *a, TaskHeadConfig head, Tokenizer *tok) {
    Tokenizer base;
    char error[256];
    Gpt *pre = checkpoint_load(a->ckpt, &base, NULL, error, sizeof error);
    if (pre == NULL) die(error);
    if (a->scratch_layers > 0) {  // a fresh model of another size on the same tokenizer
        pre->config.n_layers = a->scratch_layers, pre->config.d_model = a->scratch_d, pre->config.n_heads = a->scratch_heads;
        pre->config.d_ff = 4 * a->scratch_d;
    }
    pre->config.dropout = a->dropout;
    WeightScale scale;
    if (!weight_scale_from_name(a->init, &scale)) die("--init: gpt1 or fan-in");
    TaskModel *task_model = task_model_from_pretrained_as(pre, &base, tok, head, a->scratch_layers != 0 || a->no_pretrain,
                                                          (uint64_t)a->seed, scale);
    Gpt *model = task_model->gpt;
    // N(0, 0.02) weights drawn at another scale instead: the blocks' (init_std) and the
    // embeddings' (emb_std); the head keeps head_std
    for (int i = 0; i < model->params.count; i++) {
        Parameter *p = model->params.items[i];
        bool embedding = p->tensor.name[0] == 'w', head = p->tensor.name[0] == 'h';
        float std = embedding ? a->emb_std : head ? 0 : a->init_std;
        if (a->fan_in && !embedding && !head) std = 1.0f / sqrtf((float)p->tensor.shape.dims[0]);
        if (p->init == INIT_NORMAL && std > 0)
            for (long j = 0; j < p->tensor.size; j++) p->tensor.data[j] *= std / 0.02f;
    }
    Tensor *w = parameter_find(&model->params, "head.weight");
    for (long i = 0; i < w->size; i++) w->data[i] *= a->head_std / 0.02f;
    gpt_free(pre);
    tokenizer_free(&base);
    return task_model;
}

static void lab_shuffle(int *order, int n, Rng *rng) {
    for (int i = n - 1; i > 0; i--) {
        int j = rng_below(rng, i + 1), t = order[i];
        order[i] = order[j], order[j] = t;
    }
}

static void lab_run(const Args *a) {
    TaskKind task;
    if (!task_from_name(a->task, &task)) die("unknown task");
    TaskDataset train_data = lab_load(a->train, task, NULL), dev_data = lab_load(a->dev, task, &train_data);
    TaskHeadConfig head = {.task = task, .n_outputs = task == TASK_CHOICE ? 1 : train_data.n_labels,
                           .combine = a->combine_add ? COMBINE_ADD : COMBINE_CONCAT};
    Tokenizer tok;
    TaskModel *task_model = lab_make_model(a, head, &tok);
    Gpt *model = task_model->gpt;
    gpt_set_training(model, true);
    EncodedDataset train, dev;
    char error[256];
    if (!encode_dataset(&train_data, &tok, &train, error, sizeof error) || !encode_dataset(&dev_data, &tok, &dev, error, sizeof error))
        die(error);
    if (a->max_train > 0 && a->max_train < train.n) train.n = a->max_train;
    long total = model->params.total;
    Optimiser o = {calloc((size_t)total, sizeof(float)), calloc((size_t)total, sizeof(float)),
                   calloc((size_t)total, sizeof(float)), 0};
    set_scale(model, &o, a->new_lr_mult, tok.n_task_tokens ? tokenizer_vocab_size(&tok) - tok.n_task_tokens : 0);
    SgdOptions sched = {.lr = a->lr, .warmup_steps = a->warmup};
    if (!lr_decay_from_name(a->decay, &sched.decay)) die("--decay: constant, cosine or linear");
    TaskBatch b;
    task_batch_init(&b, task, a->batch * task_views(task, &train.examples[0]), model->config.n_ctx);
    EncodedExample *picked = malloc(sizeof *picked * (size_t)a->batch);
    int *order = malloc(sizeof(int) * (size_t)train.n);
    for (int i = 0; i < train.n; i++) order[i] = i;
    Rng rng;
    rng_seed(&rng, (uint64_t)a->seed);
    long step = 0, total_steps = (long)a->epochs * ((train.n + a->batch - 1) / a->batch);
    double best = -1, loss_sum = 0;
    int best_epoch = 0;
    for (int epoch = 0; epoch < a->epochs; epoch++) {
        lab_shuffle(order, train.n, &rng);
        loss_sum = 0;
        int batches = 0;
        for (int start = 0; start < train.n; start += a->batch, batches++) {
            int count = train.n - start < a->batch ? train.n - start : a->batch;
            for (int i = 0; i < count; i++) picked[i] = train.examples[order[start + i]];
            task_batch_fill(&b, task_tokens(&tok), picked, count);
            TaskOutput out = task_forward(task_model, &b, a->lambda);
            backward(out.l3);
            if (a->grad_report && step < a->grad_report) report_gradients(&model->params, step + 1 == a->grad_report);
            loss_sum += out.l2->data[0];
            update(&model->params, &o, a, learning_rate_at(&sched, step++, total_steps));
            tape_reset();
        }
        double acc = lab_dev_accuracy(task_model, &tok, &dev);
        if (acc > best) best = acc, best_epoch = epoch + 1;
        if (a->verbose) printf("  epoch %d train L2 %.4f dev %.4f\n", epoch + 1, loss_sum / batches, acc);
        if (!isfinite(loss_sum)) break;
    }
    printf("best dev accuracy %.4f (epoch %d) last train L2 %.4f\n", best, best_epoch, loss_sum / ((train.n + a->batch - 1) / a->batch));
    free(o.scale), free(o.m), free(o.v), free(picked), free(order);
    task_batch_free(&b);
    encoded_dataset_free(&train), encoded_dataset_free(&dev);
    task_dataset_free(&train_data), task_dataset_free(&dev_data);
    task_model_free(task_model);
    tokenizer_free(&tok);
}

int main(int argc, char **argv) {
    Args a = {.opt = "sgd", .decay = "constant", .init = "gpt1", .epochs = 3, .batch = 8, .seed = 1, .lr = 0.05f, .lambda = 0.5f,
              .new_lr_mult = 1, .head_std = 0.02f, .momentum = 0.9f, .beta2 = 0.999f};
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--task")) a.task = v;
        else if (!strcmp(k, "--ckpt")) a.ckpt = v;
        else if (!strcmp(k, "--train")) a.train = v;
        else if (!strcmp(k, "--dev")) a.dev = v;
        else if (!strcmp(k, "--opt")) a.opt = v;
        else if (!strcmp(k, "--decay")) a.decay = v;
        else if (!strcmp(k, "--init")) a.init = v;
        else if (!strcmp(k, "--epochs")) a.epochs = atoi(v);
        else if (!strcmp(k, "--batch")) a.batch = atoi(v);
        else if (!strcmp(k, "--warmup")) a.warmup = atoi(v);
        else if (!strcmp(k, "--max-train")) a.max_train = atoi(v);
        else if (!strcmp(k, "--seed")) a.seed = atoi(v);
        else if (!strcmp(k, "--scratch")) sscanf(v, "%d,%d,%d", &a.scratch_layers, &a.scratch_d, &a.scratch_heads);
        else if (!strcmp(k, "--verbose")) a.verbose = atoi(v);
        else if (!strcmp(k, "--no-pretrain")) a.no_pretrain = atoi(v);
        else if (!strcmp(k, "--grad-report")) a.grad_report = atoi(v);
        else if (!strcmp(k, "--fan-in")) a.fan_in = atoi(v);
        else if (!strcmp(k, "--lr")) a.lr = strtof(v, NULL);
        else if (!strcmp(k, "--lambda")) a.lambda = strtof(v, NULL);
        else if (!strcmp(k, "--new-lr-mult")) a.new_lr_mult = strtof(v, NULL);
        else if (!strcmp(k, "--head-std")) a.head_std = strtof(v, NULL);
        else if (!strcmp(k, "--init-std")) a.init_std = strtof(v, NULL);
        else if (!strcmp(k, "--emb-std")) a.emb_std = strtof(v, NULL);
        else if (!strcmp(k, "--momentum")) a.momentum = strtof(v, NULL);
        else if (!strcmp(k, "--beta2")) a.beta2 = strtof(v, NULL);
        else if (!strcmp(k, "--clip")) a.clip = strtof(v, NULL);
        else if (!strcmp(k, "--dropout")) a.dropout = strtof(v, NULL);
        else if (!strcmp(k, "--combine-add")) a.combine_add = atoi(v);
        else die("unknown option");
    }
    if (!a.task || !a.ckpt || !a.train || !a.dev) die("--task, --ckpt, --train and --dev are required");
    lab_run(&a);
    return 0;
}
