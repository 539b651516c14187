// gpt pretrain: the main job. Trains a model on a text file (by default the
// embedded corpus) with plain SGD and prints a sample at the end.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/cli/attention_watch.h"
#include "gpt/cli/commands.h"
#include "gpt/evaluate.h"
#include "gpt/pretrain.h"
#include "gpt/sample.h"
#include "tensor/parallel.h"

typedef struct PretrainArgs {
    const char *data, *preset, *tokenizer, *act, *decay, *warmup, *out, *log, *resume, *init, *optimizer;
    int layers, d_model, heads, d_ff, ctx, batch, seq, sample_tokens;
    long steps, seed, eval_every, eval_windows, save_every;
    float lr, dropout, clip, val_fraction;
    bool quiet, check_finite;
    AttentionWatchArgs attention;
} PretrainArgs;

// A preset's size, replaced by --NAME when it was given; a size below 1 is refused
// rather than quietly replaced by the preset's.
static void override(const Command *command, const char *name, int *field, int value) {
    if (!option_given(command, name)) return;
    if (value < 1) usage_error(command, "--%s must be at least 1, got %d", name, value);
    *field = value;
}

static GptConfig config_from_args(const Command *command, const PretrainArgs *a) {
    const Preset *preset = preset_find(a->preset);
    if (preset == NULL) usage_error(command, "no preset named '%s' (nano, tiny, small, gpt1)", a->preset);
    GptConfig c = preset->config;
    override(command, "layers", &c.n_layers, a->layers);
    override(command, "d-model", &c.d_model, a->d_model);
    override(command, "heads", &c.n_heads, a->heads);
    override(command, "d-ff", &c.d_ff, a->d_ff);
    override(command, "ctx", &c.n_ctx, a->ctx);
    if (a->dropout != -1.0f) c.dropout = a->dropout;  // -1: the preset's, as the help says
    if (a->act != NULL) {
        if (strcmp(a->act, "relu") != 0 && strcmp(a->act, "gelu") != 0)
            usage_error(command, "--act must be relu or gelu, got '%s'", a->act);
        c.activation = strcmp(a->act, "gelu") == 0 ? ACTIVATION_GELU : ACTIVATION_RELU;
    }
    return c;
}

// A resumed run is the checkpoint's model with its tokenizer: a flag that would make
// another model is refused rather than silently ignored.
static void refuse_model_flags_on_resume(const Command *command, const PretrainArgs *a) {
    static const char *const model_flags[] = {"preset", "layers", "d-model", "heads", "d-ff", "ctx", "act", "dropout", "init",
                                              "tokenizer"};
    if (a->resume == NULL) return;
    for (size_t i = 0; i < sizeof model_flags / sizeof *model_flags; i++)
        if (option_given(command, model_flags[i]))
            usage_error(command, "--%s cannot be used with --resume: the model and its tokenizer come from %s "
                        "(leave --%s out)", model_flags[i], a->resume, model_flags[i]);
}

// --lr and --clip, or the preset's recipe for those not given.
static void recipe_from_preset(const Command *command, PretrainArgs *a) {
    const Preset *preset = preset_find(a->preset);
    if (preset == NULL) usage_error(command, "no preset named '%s' (nano, tiny, small, gpt1)", a->preset);
    if (!option_given(command, "lr")) a->lr = preset->lr;
    if (!option_given(command, "clip")) a->clip = preset->clip_norm;
}

// A resumed run has no --preset (the model comes from the checkpoint): the recipe for
// --lr and --clip not given is that of the preset of the checkpoint's sizes, so that a
// gpt1 run resumes with gpt1's lr and clipping. Sizes of no preset keep the default's.
static void recipe_of_resumed_model(const Command *command, const GptConfig *c, SgdOptions *sgd) {
    for (int i = 0; i < N_PRESETS; i++) {
        const GptConfig *p = &PRESETS[i].config;
        if (p->n_layers != c->n_layers || p->d_model != c->d_model || p->n_heads != c->n_heads ||
            p->d_ff != c->d_ff || p->n_ctx != c->n_ctx)
            continue;
        if (!option_given(command, "lr") && sgd->optimizer == OPTIMIZER_SGD) sgd->lr = PRESETS[i].lr;
        if (!option_given(command, "clip")) sgd->clip_norm = PRESETS[i].clip_norm;
        return;
    }
}

static void check_args(const Command *command, const PretrainArgs *a, SgdOptions *sgd) {
    refuse_model_flags_on_resume(command, a);
    if (a->batch < 1) usage_error(command, "--batch must be at least 1, got %d", a->batch);
    if (a->steps < 0 || a->steps > PRETRAIN_MAX_STEPS)
        usage_error(command, "--steps must be from 0 to %ld, got %ld", PRETRAIN_MAX_STEPS, a->steps);
    if (a->seq < 0) usage_error(command, "--seq must not be negative (0: n_ctx), got %d", a->seq);
    if (a->dropout != -1.0f && !(a->dropout >= 0.0f && a->dropout < 1.0f))
        usage_error(command, "--dropout must be in [0, 1), or -1 for the preset's, got %g", a->dropout);
    WeightScale scale;
    if (!weight_scale_from_name(a->init, &scale)) usage_error(command, "--init must be gpt1 or fan-in, got '%s'", a->init);
    if (a->sample_tokens < 0 || a->sample_tokens > SAMPLE_MAX_TOKENS)
        usage_error(command, "--sample-tokens must be from 0 (no sample) to %d, got %d", SAMPLE_MAX_TOKENS,
                    a->sample_tokens);
    if (!(a->lr > 0.0f) || !isfinite(a->lr)) usage_error(command, "--lr must be a positive number, got %g", a->lr);
    if (!(a->val_fraction >= 0.0f && a->val_fraction < 1.0f))
        usage_error(command, "--val-fraction must be in [0, 1), got %g", a->val_fraction);
    if (a->clip < 0.0f || a->eval_every < 0 || a->save_every < 0 || a->eval_windows < 0)
        usage_error(command, "--clip, --eval-every, --eval-windows and --save-every must not be negative");
    *sgd = (SgdOptions){.lr = a->lr, .clip_norm = a->clip};
    optimizer_or_exit(command, a->optimizer, PRETRAIN_ADAM_LR, sgd);
    warmup_or_exit(command, a->warmup, sgd);
    if (!lr_decay_from_name(a->decay, &sgd->decay))
        usage_error(command, "--decay must be constant, cosine or linear, got '%s'", a->decay);
}

// The window (--seq, or n_ctx) must fit the context, and a training step the step memory.
static int window_or_exit(const Command *command, const PretrainArgs *a, const GptConfig *config) {
    int seq = a->seq > 0 ? a->seq : config->n_ctx;
    if (seq > config->n_ctx) usage_error(command, "--seq %d is longer than the context (n_ctx %d)", seq, config->n_ctx);
    check_step_memory_or_exit(command, config, a->batch, seq, true);
    return seq;
}

// A resumed run goes on from the checkpoint's step up to --steps, the run's total.
static Gpt *resume_or_exit(const Command *command, const PretrainArgs *a, Tokenizer *tokenizer, TrainingState *state) {
    Gpt *model = load_checkpoint_or_exit(command, a->resume, tokenizer, state);
    if (a->steps < state->step)
        usage_error(command, "--steps %ld is below the step of %s, %ld: --steps is the run's total, not the steps "
                    "to add", a->steps, a->resume, state->step);
    window_or_exit(command, a, &model->config);
    return model;
}

// A new model from the flags, or the model, tokenizer and state of --resume. The sizes
// are checked before the model's memory is allocated.
static Gpt *make_model(const Command *command, const PretrainArgs *a, const char *text, size_t len,
                       Tokenizer *tokenizer, TrainingState *state) {
    if (a->resume != NULL) return resume_or_exit(command, a, tokenizer, state);
    tokenizer_from_spec_or_exit(command, a->tokenizer, text, len, tokenizer);
    GptConfig config = config_from_args(command, a);
    config.vocab_size = tokenizer_vocab_size(tokenizer);
    char error[256];
    if (!config_validate(&config, error, sizeof error)) usage_error(command, "%s", error);
    window_or_exit(command, a, &config);
    WeightScale scale = WEIGHTS_GPT1;
    weight_scale_from_name(a->init, &scale);  // checked by check_args
    Gpt *model = gpt_create(&config);
    gpt_init_weights_as(model, (uint64_t)a->seed, scale);
    state->step = 0;
    rng_seed(&state->data_rng, (uint64_t)a->seed ^ 0xDA7Aull);
    return model;
}

static void print_sample(Gpt *model, const Tokenizer *tokenizer, int n_tokens, long seed) {
    int prompt = tokenizer->byte_to_id['\n'] >= 0 ? tokenizer->byte_to_id['\n'] : 0;
    SampleOptions options = {.n_tokens = n_tokens, .temperature = 0.8f, .top_k = 40,
                             .n_allowed = tokenizer->n_text_tokens};
    Rng rng;
    rng_seed(&rng, (uint64_t)seed);
    long n;
    int *ids = generate(model, &prompt, 1, &options, &rng, &n);
    printf("--- sample (temperature 0.8, top-k 40) ---");
    print_tokens(tokenizer, ids, n);
    printf("\n");
    free(ids);
}

// The validation windows (as many in a batch as there are, up to --batch) and the sample
// read n_ctx tokens whatever --seq is: their forward passes must fit too.
static void check_evaluation_memory(const Command *command, const PretrainArgs *a, const GptConfig *config,
                                    const TokenSequence *val) {
    long windows = evaluation_windows(val->n, config->n_ctx);
    check_step_memory_or_exit(command, config, windows < a->batch ? windows : a->batch, config->n_ctx, false);
    if (a->sample_tokens > 0) check_step_memory_or_exit(command, config, 1, config->n_ctx, false);
}

// "checkpoint: PATH (step N)" only when a step was taken, and so a checkpoint written.
static void report_checkpoint(const PretrainArgs *a, const PretrainReport *report, long first_step) {
    if (report->interrupted) fprintf(stderr, "interrupted at step %ld\n", report->steps_done);
    if (report->steps_done == first_step)
        fprintf(stderr, "nothing trained: the run is at step %ld and --steps is %ld; no checkpoint written\n",
                report->steps_done, a->steps);
    else if (a->out)
        fprintf(stderr, "checkpoint: %s (step %ld)\n", a->out, report->steps_done);
}

static int run_pretrain(const Command *command, const PretrainArgs *a, SgdOptions *sgd) {
    if (a->out != NULL) check_output_or_exit(command, a->out);
    if (a->log != NULL) check_log_or_exit(command, a->log);
    size_t len;
    char *text = load_text_or_exit(command, a->data, &len);
    Tokenizer tokenizer;
    TrainingState state;
    Gpt *model = make_model(command, a, text, len, &tokenizer, &state);
    if (a->resume != NULL) recipe_of_resumed_model(command, &model->config, sgd);
    int seq = a->seq > 0 ? a->seq : model->config.n_ctx;
    TokenSequence all = encode_or_exit(command, &tokenizer, text, len, a->data ? a->data : "the embedded corpus");
    TokenSequence train, val;
    split_tokens(&all, a->val_fraction, &train, &val);
    if (train.n < seq + 1)
        usage_error(command, "the training text has %ld tokens; a window needs %d (use a longer text or a smaller --seq)",
                    train.n, seq + 1);
    check_evaluation_memory(command, a, &model->config, &val);
    config_print(stderr, &model->config);
    fprintf(stderr, "data: %s, %ld tokens (%s): %ld train, %ld validation\n", a->data ? a->data : "embedded corpus",
            all.n, tokenizer_kind_name(tokenizer.kind), train.n, val.n);
    char sgd_text[160];
    fprintf(stderr, "training: %ld steps of %d x %d tokens, %s, %d thread%s%s\n", a->steps, a->batch, seq,
            sgd_describe(sgd, sgd_text, sizeof sgd_text), parallel_threads(), parallel_threads() == 1 ? "" : "s",
            state.step > 0 ? " (resumed)" : "");
    PretrainOptions options = {.steps = a->steps, .batch = a->batch, .seq = seq, .sgd = *sgd,
                               .eval_every = a->eval_every, .eval_windows = a->eval_windows,
                               .save_every = a->save_every, .out = a->out, .log = a->log, .quiet = a->quiet};
    AttentionWatch watch;
    attention_watch_start(&watch, command, &a->attention, model, &tokenizer, state.step, &options);
    PretrainReport report;
    char error[512];
    long first_step = state.step;
    bool ok = pretrain(model, &tokenizer, &state, &train, &val, &options, &report, error, sizeof error);
    attention_watch_finish(&watch);
    if (ok) {
        report_checkpoint(a, &report, first_step);
        if (a->sample_tokens > 0) print_sample(model, &tokenizer, a->sample_tokens, a->seed);
    }
    gpt_free(model);
    free(all.ids);
    free(text);
    tokenizer_free(&tokenizer);
    if (!ok) runtime_error("%s", error);
    return 0;
}

int pretrain_command(int argc, char **argv) {
    PretrainArgs a = {.preset = "tiny", .tokenizer = "bytes", .decay = "constant", .warmup = "0", .out = "gpt.ckpt",
                      .optimizer = "sgd",
                      .init = "gpt1", .batch = 8, .sample_tokens = 300, .steps = 4000, .seed = 1, .eval_every = 500,
                      .eval_windows = 16, .dropout = -1.0f, .val_fraction = 0.1f,
                      .attention = {.out = "attention.svg"}};
    KernelArgs kernels = {0};
    Option options[] = {
        {"data", OPTION_STRING, &a.data, "training text: a file, or synthetic:previous or synthetic:induction (docs/pictures.md) (default: the embedded corpus, this project's docs)", 0},
        {"preset", OPTION_STRING, &a.preset, "nano, tiny, small or gpt1", 0},
        {"layers", OPTION_INT, &a.layers, "decoder blocks (default: the preset's)", 0},
        {"d-model", OPTION_INT, &a.d_model, "width d_model (default: the preset's)", 0},
        {"heads", OPTION_INT, &a.heads, "attention heads per block (default: the preset's)", 0},
        {"d-ff", OPTION_INT, &a.d_ff, "feed-forward width d_ff (default: the preset's)", 0},
        {"ctx", OPTION_INT, &a.ctx, "context window n_ctx (default: the preset's)", 0},
        {"act", OPTION_STRING, &a.act, "relu, max(0, x) (the classroom presets) or gelu (the paper)", 0},
        {"dropout", OPTION_FLOAT, &a.dropout, "override the preset's dropout (-1: the preset's)", 0},
        {"tokenizer", OPTION_STRING, &a.tokenizer, "bytes, chars, bpe:VOCAB (from gpt bpe-train) or gpt1:DIR (GPT-1's)", 0},
        {"steps", OPTION_LONG, &a.steps, "total SGD steps, at most 100000000 (0: none)", 0},
        {"batch", OPTION_INT, &a.batch, "windows per step", 0},
        {"seq", OPTION_INT, &a.seq, "tokens per window (0: n_ctx)", 0},
        {"lr", OPTION_FLOAT, &a.lr, "learning rate of plain SGD (default: the preset's, 0.1 for gpt1, else 0.3)", 0},
        {"clip", OPTION_FLOAT, &a.clip,
         "clip the gradient's global norm to this, 0: off (default: the preset's, 1 for gpt1, else off)", 0},
        {"warmup", OPTION_STRING, &a.warmup, "linear learning-rate warm-up: N steps, or P% of all the steps (0: off)", 0},
        {"decay", OPTION_STRING, &a.decay, "learning rate after warm-up: constant, cosine or linear", 0},
        {"optimizer", OPTION_STRING, &a.optimizer, "sgd (plain SGD, the default) or adam (the paper's; --lr then "
                                                   "defaults to its 2.5e-4; a resumed run starts Adam's moments afresh)", 0},
        {"init", OPTION_STRING, &a.init, "initial weights: gpt1 (N(0, 0.02²), the paper) or fan-in (N(0, 1/fan_in))", 0},
        {"seed", OPTION_LONG, &a.seed, "seed of the initial weights, batches, dropout and sample", 0},
        {"val-fraction", OPTION_FLOAT, &a.val_fraction, "the last part of the text kept for validation", 0},
        {"eval-every", OPTION_LONG, &a.eval_every, "steps between validation losses (0: at the end)", 0},
        {"eval-windows", OPTION_LONG, &a.eval_windows, "validation windows of n_ctx + 1 tokens (0: all)", 0},
        {"save-every", OPTION_LONG, &a.save_every, "steps between checkpoints (0: at the end)", 0},
        {"out", OPTION_STRING, &a.out, "checkpoint file", 0},
        {"log", OPTION_STRING, &a.log, "CSV log: step, train_loss, val_loss, lr, tokens_per_s", 0},
        {"resume", OPTION_STRING, &a.resume, "continue the run saved in this checkpoint up to --steps in all: its model "
                                             "and tokenizer (the flags that set them are refused) on --data's text, with the recipe "
                                             "(--lr, --clip) of the preset of its sizes", 0},
        {"sample-tokens", OPTION_INT, &a.sample_tokens, "tokens of the sample printed at the end (0: none)", 0},
        {"attention-every", OPTION_LONG, &a.attention.every, "steps between pictures of every head (0: none)", 0},
        {"attention-text", OPTION_STRING, &a.attention.text, "the text the model reads in those pictures", 0},
        {"attention-out", OPTION_STRING, &a.attention.out, "the SVG of those pictures, rewritten at each", 0},
        {"quiet", OPTION_FLAG, &a.quiet, "no progress line", 0},
        {"check-finite", OPTION_FLAG, &a.check_finite, "stop at the first op that makes a NaN or inf, naming it (slower)", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"pretrain", "Pre-trains a GPT on a text file with plain SGD: θ ← θ − η∇θ L1.",
                       "pretrain [--data FILE] [--preset NAME] [--steps N] [--lr LR] [--out CKPT] ...", options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    SgdOptions sgd;
    recipe_from_preset(&command, &a);
    check_args(&command, &a, &sgd);
    set_check_finite(a.check_finite);
    return run_pretrain(&command, &a, &sgd);
}
