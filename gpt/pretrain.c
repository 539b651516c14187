// isatty and fileno are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/pretrain.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "autograd/tape.h"
#include "gpt/io/clock.h"
#include "gpt/evaluate.h"
#include "gpt/io/log_file.h"
#include "tensor/parallel.h"

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

typedef struct Progress {
    double start;         // seconds_now() when the run began
    double last_print;
    long first_step;      // the step the run began at (after a resume)
    long tokens_per_step;
    bool tty;
    FILE *log;
} Progress;

static void print_progress(Progress *p, long step, long total, float loss, float val, bool keep_line) {
    double now = seconds_now(), elapsed = now - p->start;
    if (!keep_line && now - p->last_print < (p->tty ? 0.25 : 10.0)) return;
    p->last_print = now;
    long done = step - p->first_step;
    double per_step = done > 0 ? elapsed / (double)done : 0.0;
    double eta = per_step * (double)(total - step);
    char val_text[32] = "-";
    if (!isnan(val)) snprintf(val_text, sizeof val_text, "%.4f", val);
    long elapsed_s = (long)elapsed, eta_s = (long)fmin(eta, 1e12);  // --steps may be huge
    fprintf(stderr,
            "%sstep %ld/%ld | loss %.4f | val %s | %.1fk tok/s on %d thread%s | %ld:%02ld elapsed, ETA %ld:%02ld%s",
            p->tty ? "\r" : "", step, total, loss, val_text,
            per_step > 0 ? (double)p->tokens_per_step / per_step / 1000.0 : 0.0, parallel_threads(),
            parallel_threads() == 1 ? "" : "s", elapsed_s / 60, elapsed_s % 60,
            eta_s / 60, eta_s % 60, p->tty && !keep_line ? "  " : "\n");
    fflush(stderr);
}

static void log_row(Progress *p, long step, float loss, float val, float lr, double tokens_per_s) {
    if (p->log == NULL) return;
    fprintf(p->log, "%ld,%.6f,", step, loss);
    if (!isnan(val)) fprintf(p->log, "%.6f", val);
    fprintf(p->log, ",%g,%.1f\n", lr, tokens_per_s);
}

static bool save(const char *path, const Gpt *model, const Tokenizer *tokenizer, const TrainingState *state,
                 char *error, size_t error_len) {
    return path == NULL || checkpoint_save(path, model, tokenizer, state, error, error_len);
}

static bool is_due(long step, long every, long total) { return step == total || (every > 0 && step % every == 0); }

static bool run_steps(Gpt *model, const Tokenizer *tokenizer, TrainingState *state, const TokenSequence *train,
                      const TokenSequence *val, const PretrainOptions *o, Progress *p, PretrainReport *report,
                      char *error, size_t error_len) {
    Batch batch = batch_create(o->batch, o->seq);
    bool ok = true;
    while (ok && state->step < o->steps && !interrupt_requested) {
        float lr = learning_rate_at(&o->sgd, state->step, o->steps);
        double t0 = seconds_now();
        batch_sample(&batch, train, &state->data_rng);
        float loss = train_step(model, &batch, &o->sgd, lr);
        double step_seconds = seconds_now() - t0;
        if (!isfinite(loss)) {
            snprintf(error, error_len, "step %ld: the training loss became %g: the weights diverged. Try a smaller "
                     "learning rate than --lr %g; the last good checkpoint is left in place", state->step + 1,
                     (double)loss, (double)o->sgd.lr);
            ok = false;
            break;
        }
        if (o->loss_history != NULL) o->loss_history[state->step] = loss;
        state->step++;
        report->train_loss = loss;
        float val_loss = NAN;
        bool evaluate = val->n > 1 && is_due(state->step, o->eval_every, o->steps);
        if (evaluate) report->val_loss = val_loss = (float)evaluate_lm_loss(model, val, o->batch, o->eval_windows, NULL);
        log_row(p, state->step, loss, val_loss, lr, (double)p->tokens_per_step / step_seconds);
        // a step with a validation loss keeps its own line
        if (!o->quiet) print_progress(p, state->step, o->steps, loss, report->val_loss, evaluate || state->step == o->steps);
        if (is_due(state->step, o->save_every, o->steps) || interrupt_requested)
            ok = save(o->out, model, tokenizer, state, error, error_len);
    }
    batch_free(&batch);
    return ok;
}

bool pretrain(Gpt *model, const Tokenizer *tokenizer, TrainingState *state, const TokenSequence *train,
              const TokenSequence *val, const PretrainOptions *o, PretrainReport *report, char *error,
              size_t error_len) {
    *report = (PretrainReport){.val_loss = NAN};
    Progress p = {.start = seconds_now(), .first_step = state->step, .tokens_per_step = (long)o->batch * o->seq,
                  .tty = isatty(fileno(stderr))};
    bool resumed = state->step > 0;  // appends to its log
    const char *header = "step,train_loss,val_loss,lr,tokens_per_s";
    if (o->log != NULL && (p.log = log_file_open(o->log, resumed, header, error, error_len)) == NULL) return false;
    interrupt_requested = 0;
    void (*previous_handler)(int) = signal(SIGINT, on_interrupt);
    gpt_set_training(model, true);
    bool ok = run_steps(model, tokenizer, state, train, val, o, &p, report, error, error_len);
    gpt_set_training(model, false);
    signal(SIGINT, previous_handler);
    report->interrupted = interrupt_requested != 0;
    report->steps_done = state->step;
    if (p.log != NULL) ok = log_file_close(p.log, o->log, ok, error, error_len);
    return ok;
}
