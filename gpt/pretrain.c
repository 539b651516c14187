#include "gpt/pretrain.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>

#include "autograd/tape.h"
#include "gpt/evaluate.h"
#include "gpt/io/clock.h"
#include "gpt/io/log_file.h"
#include "gpt/io/progress.h"

float train_step(Gpt *model, const Batch *batch, const SgdOptions *sgd, float lr) {
    Tensor *logits = gpt_logits(model, batch->inputs, batch->batch, batch->seq);
    Tensor *loss = lm_loss(logits, batch->targets);
    backward(loss);
    float value = loss->data[0];
    sgd_update(&model->params, sgd, lr);
    tape_reset();
    return value;
}

static volatile sig_atomic_t interrupt_requested;
static void on_interrupt(int signal_number) {
    (void)signal_number;
    interrupt_requested = 1;
}

// The run's progress line and its log.
typedef struct RunOutput {
    Progress progress;
    long tokens_per_step;
    FILE *log;
} RunOutput;

// "step 120/5000 | loss 2.3416 | val 2.4100 | 41.3k tok/s", then the times.
static void print_progress(RunOutput *out, long step, float loss, float val, bool keep_line) {
    double per_step = progress_seconds_per_step(&out->progress, step);
    char val_text[32] = "-", text[160];
    if (!isnan(val)) snprintf(val_text, sizeof val_text, "%.4f", val);
    snprintf(text, sizeof text, "step %ld/%ld | loss %.4f | val %s | %.1fk tok/s", step, out->progress.total_steps,
             loss, val_text, per_step > 0 ? (double)out->tokens_per_step / per_step / 1000.0 : 0.0);
    progress_print(&out->progress, step, text, keep_line);
}

static void log_row(RunOutput *out, long step, float loss, float val, float lr, double tokens_per_s) {
    if (out->log == NULL) return;
    fprintf(out->log, "%ld,%.6f,", step, loss);
    if (!isnan(val)) fprintf(out->log, "%.6f", val);
    fprintf(out->log, ",%g,%.1f\n", lr, tokens_per_s);
}

static bool save(const char *path, const Gpt *model, const Tokenizer *tokenizer, const TrainingState *state,
                 char *error, size_t error_len) {
    return path == NULL || checkpoint_save(path, model, tokenizer, state, error, error_len);
}

static bool is_due(long step, long every, long total) { return step == total || (every > 0 && step % every == 0); }

static bool watch_due(const PretrainOptions *o, Gpt *model, long step, char *error, size_t error_len) {
    bool due = step == 0 || is_due(step, o->watch_every, o->steps);
    return o->watch == NULL || !due || o->watch(model, step, o->watch_context, error, error_len);
}

static bool run_steps(Gpt *model, const Tokenizer *tokenizer, TrainingState *state, const TokenSequence *train,
                      const TokenSequence *val, const PretrainOptions *o, RunOutput *out, PretrainReport *report,
                      char *error, size_t error_len) {
    Batch batch = batch_create(o->batch, o->seq);
    bool ok = state->step > 0 || watch_due(o, model, 0, error, error_len);
    while (ok && state->step < o->steps && !interrupt_requested) {
        float lr = learning_rate_at(&o->sgd, state->step, o->steps);
        double t0 = seconds_now();
        batch_sample(&batch, train, &state->data_rng);
        float loss = train_step(model, &batch, &o->sgd, lr);
        double step_seconds = seconds_now() - t0;
        if (!isfinite(loss)) {
            describe_divergence(error, error_len, state->step + 1, loss, o->sgd.lr);
            ok = false;
            break;
        }
        if (o->loss_history != NULL) o->loss_history[state->step] = loss;
        state->step++;
        report->train_loss = loss;
        float val_loss = NAN;
        bool evaluate = val->n > 1 && is_due(state->step, o->eval_every, o->steps);
        if (evaluate) report->val_loss = val_loss = (float)evaluate_lm_loss(model, val, o->batch, o->eval_windows, NULL);
        log_row(out, state->step, loss, val_loss, lr, (double)out->tokens_per_step / step_seconds);
        // a step with a validation loss keeps its own line
        if (!o->quiet) print_progress(out, state->step, loss, report->val_loss, evaluate || state->step == o->steps);
        if (is_due(state->step, o->save_every, o->steps) || interrupt_requested)
            ok = save(o->out, model, tokenizer, state, error, error_len);
        if (ok) ok = watch_due(o, model, state->step, error, error_len);
    }
    batch_free(&batch);
    return ok;
}

bool pretrain(Gpt *model, const Tokenizer *tokenizer, TrainingState *state, const TokenSequence *train,
              const TokenSequence *val, const PretrainOptions *o, PretrainReport *report, char *error,
              size_t error_len) {
    *report = (PretrainReport){.val_loss = NAN};
    RunOutput out = {progress_start(state->step, o->steps), (long)o->batch * o->seq, NULL};
    bool resumed = state->step > 0;  // appends to its log
    const char *header = "step,train_loss,val_loss,lr,tokens_per_s";
    if (o->log != NULL && (out.log = log_file_open(o->log, resumed, header, error, error_len)) == NULL) return false;
    interrupt_requested = 0;
    void (*previous_handler)(int) = signal(SIGINT, on_interrupt);
    gpt_set_training(model, true);
    bool ok = run_steps(model, tokenizer, state, train, val, o, &out, report, error, error_len);
    gpt_set_training(model, false);
    signal(SIGINT, previous_handler);
    report->interrupted = interrupt_requested != 0;
    report->steps_done = state->step;
    if (out.log != NULL) ok = log_file_close(out.log, o->log, ok, error, error_len);
    return ok;
}
