// gpt bench: the time and memory of training steps (forward + backward + SGD) of a
// preset on random tokens. Prints one line that scripts read:
//   bench: name=train_step preset=tiny batch=8 seq=64 threads=1 ms_per_step=.. tokens_per_s=.. gflops=.. peak_rss_mb=..
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/io/clock.h"
#include "gpt/pretrain.h"
#include "tensor/parallel.h"

// Multiply-adds of one forward pass, times 2 for FLOPs: the linear layers, the
// attention products Q·Kᵀ and A·V over full t×t matrices, and the tied output layer.
// A training step costs about three forward passes (the backward pass is two).
static double training_flops(const GptConfig *c, int batch, int seq) {
    double d = c->d_model, f = c->d_ff, tokens = (double)batch * seq;
    double linear = d * 3 * d + d * d + 2 * d * f;
    double attention = 2.0 * seq * d;
    double forward = 2.0 * tokens * (c->n_layers * (linear + attention) + d * c->vocab_size);
    return 3.0 * forward;
}

// The most resident memory the process has used (Linux: VmHWM), in MB; 0 if unknown.
static double peak_rss_mb(void) {
    FILE *file = fopen("/proc/self/status", "r");
    if (file == NULL) return 0.0;
    char line[256];
    double kb = 0.0;
    while (fgets(line, sizeof line, file) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0) kb = strtod(line + 6, NULL);
    fclose(file);
    return kb / 1024.0;
}

enum { BENCH_MAX_STEPS = 100000 };

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// The preset with --vocab, and --seq (0: n_ctx); every size checked before any work.
static GptConfig bench_config_or_exit(const Command *command, const char *preset_name, int vocab, int batch, int *seq,
                                      int steps) {
    const Preset *preset = preset_find(preset_name);
    if (preset == NULL) usage_error(command, "no preset named '%s'", preset_name);
    if (vocab < 0) usage_error(command, "--vocab must not be negative (0: the preset's), got %d", vocab);
    if (*seq < 0) usage_error(command, "--seq must not be negative (0: n_ctx), got %d", *seq);
    GptConfig config = preset->config;
    if (vocab > 0) config.vocab_size = vocab;
    if (*seq == 0) *seq = config.n_ctx;
    if (batch < 1 || steps < 1 || steps > BENCH_MAX_STEPS || *seq > config.n_ctx)
        usage_error(command, "--batch must be at least 1, --steps from 1 to %d, --seq at most n_ctx (%d)",
                    BENCH_MAX_STEPS, config.n_ctx);
    char error[256];
    if (!config_validate(&config, error, sizeof error)) usage_error(command, "%s", error);
    check_step_memory_or_exit(command, &config, batch, *seq, true);
    return config;
}

int bench_command(int argc, char **argv) {
    const char *preset_name = "tiny";
    int batch = 8, seq = 0, steps = 10, vocab = 0;
    KernelArgs kernels = {0};
    Option options[] = {
        {"preset", OPTION_STRING, &preset_name, "nano, tiny, small or gpt1", 0},
        {"batch", OPTION_INT, &batch, "sequences per step", 0},
        {"seq", OPTION_INT, &seq, "tokens per sequence (0: n_ctx)", 0},
        {"steps", OPTION_INT, &steps, "timed steps (after 2 warm-up steps, at most 100000); the median is printed", 0},
        {"vocab", OPTION_INT, &vocab, "vocabulary size (0: the preset's)", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"bench", "Times training steps (forward, backward, SGD) on random tokens.",
                       "bench [--preset P] [--batch B] [--seq T] [--steps N]", options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    GptConfig config = bench_config_or_exit(&command, preset_name, vocab, batch, &seq, steps);
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);
    gpt_set_training(model, true);
    Batch b = batch_create(batch, seq);
    Rng rng;
    rng_seed(&rng, 1);
    for (long i = 0; i < (long)batch * seq; i++)
        b.inputs[i] = rng_below(&rng, config.vocab_size), b.targets[i] = rng_below(&rng, config.vocab_size);
    SgdOptions sgd = {.lr = 1e-4f};
    double *ms = malloc(sizeof(double) * (size_t)steps);
    if (ms == NULL) runtime_error("out of memory for the times of %d steps", steps);
    for (int i = -2; i < steps; i++) {
        double t0 = seconds_now();
        train_step(model, &b, &sgd, sgd.lr);
        if (i >= 0) ms[i] = 1000.0 * (seconds_now() - t0);
    }
    qsort(ms, (size_t)steps, sizeof *ms, compare_doubles);
    double median = steps % 2 ? ms[steps / 2] : 0.5 * (ms[steps / 2 - 1] + ms[steps / 2]);
    printf("bench: name=train_step preset=%s batch=%d seq=%d threads=%d ms_per_step=%.1f tokens_per_s=%.0f "
           "gflops=%.1f peak_rss_mb=%.0f\n",
           preset_name, batch, seq, parallel_threads(), median, (double)batch * seq / (median / 1000.0),
           training_flops(&config, batch, seq) / (median / 1000.0) / 1e9, peak_rss_mb());
    free(ms);
    batch_free(&b);
    gpt_free(model);
    return 0;
}
