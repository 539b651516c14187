#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/io/text_file.h"
#include "gpt/step_memory.h"
#include "gpt/synthetic_text.h"
#include "tensor/matmul.h"
#include "tensor/parallel.h"

static const char SYNTHETIC_PREFIX[] = "synthetic:";  // --data synthetic:NAME

char *load_text_or_exit(const Command *command, const char *path, size_t *len) {
    if (path == NULL) {
        char *text = malloc(embedded_corpus_size + 1);
        if (text == NULL) runtime_error("out of memory for the embedded corpus");
        memcpy(text, embedded_corpus, embedded_corpus_size);
        text[embedded_corpus_size] = '\0';
        *len = embedded_corpus_size;
        return text;
    }
    if (strncmp(path, SYNTHETIC_PREFIX, strlen(SYNTHETIC_PREFIX)) == 0) {
        char *text = synthetic_text(path + strlen(SYNTHETIC_PREFIX), len);
        if (text == NULL)
            usage_error(command, "--data %s: there is no synthetic text of that name; there are: %s", path,
                        synthetic_text_names());
        return text;
    }
    char error[512];
    char *text = read_text_file(path, len, error, sizeof error);
    if (text == NULL) usage_error(command, "%s", error);
    if (*len == 0) {
        free(text);
        usage_error(command, "%s: the file is empty", path);
    }
    return text;
}

Gpt *load_checkpoint_or_exit(const Command *command, const char *path, Tokenizer *tokenizer, TrainingState *state) {
    if (path == NULL) usage_error(command, "--ckpt is required");
    char error[512];
    Gpt *model = checkpoint_load(path, tokenizer, state, error, sizeof error);
    if (model == NULL) usage_error(command, "%s", error);
    return model;
}

TaskModel *load_task_checkpoint_or_exit(const Command *command, const char *path, Tokenizer *tokenizer,
                                        TrainingState *state) {
    if (path == NULL) usage_error(command, "--ckpt is required");
    char error[512];
    TaskModel *model = task_checkpoint_load(path, tokenizer, state, error, sizeof error);
    if (model == NULL) usage_error(command, "%s", error);
    return model;
}

void check_step_memory_or_exit(const Command *command, const GptConfig *config, long batch, long seq, bool training) {
    char error[256];
    if (!step_memory_fits(config, (double)batch, (double)seq, training, error, sizeof error))
        usage_error(command, "%s", error);
}

TokenSequence encode_or_exit(const Command *command, const Tokenizer *tokenizer, const char *text, size_t len,
                             const char *source) {
    char error[256];
    TokenSequence tokens = {0};
    tokens.ids = tokenizer_encode(tokenizer, text, len, &tokens.n, error, sizeof error);
    if (tokens.ids == NULL) usage_error(command, "%s: %s", source, error);
    return tokens;
}

void keep_last_tokens(TokenSequence *tokens, long n) {
    if (tokens->n <= n) return;
    memmove(tokens->ids, tokens->ids + (tokens->n - n), sizeof(int) * (size_t)n);
    tokens->n = n;
}

TaskKind task_or_exit(const Command *command, const char *text) {
    TaskKind task;
    if (text == NULL) usage_error(command, "--task is required: classify, entail, similar or choice");
    if (!task_from_name(text, &task) || task == TASK_NONE)
        usage_error(command, "--task must be classify, entail, similar or choice, got '%s'", text);
    return task;
}

// --format and --task for the reader; exits on a name it does not know.
TaskReadOptions read_options_or_exit(const Command *command, const char *task_text, const char *format_text,
                                     bool graded, bool skip_bad) {
    TaskReadOptions o = {.task = task_or_exit(command, task_text), .graded = graded, .skip_bad = skip_bad};
    if (format_text != NULL && !task_format_from_name(format_text, &o.format))
        usage_error(command, "--format must be auto, tsv, sst2, sick, mrpc, stsb or storycloze, got '%s'", format_text);
    return o;
}

void load_task_data_or_exit(const Command *command, TaskDataset *data, const char *path, const TaskReadOptions *o) {
    if (!task_data_load(data, path, o)) usage_error(command, "%s", data->error);
    if (data->n_skipped > 0)
        fprintf(stderr, "%s: skipped %d bad rows (--skip-bad); the first: %s\n", path, data->n_skipped,
                data->first_skipped);
}

EncodedDataset encode_or_exit_dataset(const Command *command, const TaskDataset *data, const Tokenizer *tokenizer,
                                      const char *path) {
    EncodedDataset encoded;
    char error[256];
    if (!encode_dataset(data, tokenizer, &encoded, error, sizeof error)) usage_error(command, "%s: %s", path, error);
    if (encoded.n_dropped_bytes > 0)
        fprintf(stderr, "%s: %ld bytes outside the character vocabulary were left out\n", path, encoded.n_dropped_bytes);
    return encoded;
}

void print_tokens(const Tokenizer *tokenizer, const int *ids, long n) {
    size_t len;
    char *text = tokenizer_decode(tokenizer, ids, n, &len);
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    free(text);
}

void warmup_or_exit(const Command *command, const char *text, SgdOptions *sgd) {
    char *end;
    errno = 0;
    size_t n = strlen(text);
    if (n > 1 && text[n - 1] == '%') {
        double percent = strtod(text, &end);
        if (errno == 0 && end == text + n - 1 && isfinite(percent) && percent >= 0.0 && percent <= 100.0) {
            sgd->warmup_steps = 0;
            sgd->warmup_fraction = (float)(percent / 100.0);
            return;
        }
    } else {
        long steps = strtol(text, &end, 10);
        if (errno == 0 && n > 0 && *end == '\0' && steps >= 0 && steps <= INT_MAX) {
            sgd->warmup_steps = (int)steps;
            sgd->warmup_fraction = 0.0f;
            return;
        }
    }
    usage_error(command, "--warmup expects a number of steps (100) or a percentage of all the steps (0.2%%), got '%s'",
                text);
}

void optimizer_or_exit(const Command *command, const char *name, float adam_lr, SgdOptions *sgd) {
    if (!optimizer_from_name(name, &sgd->optimizer))
        usage_error(command, "--optimizer must be sgd or adam, got '%s'", name);
    if (sgd->optimizer == OPTIMIZER_ADAM && !option_given(command, "lr")) sgd->lr = adam_lr;
}

const char THREADS_HELP[] = "threads for the kernels; the same results with any number, 1 is the plain\n"
                            "      one-thread code for a debugger (default: GPT_THREADS, else the online cores)";
const char REFERENCE_KERNELS_HELP[] = "compute the matrix products with the plain triple loop (slow; for reading\n"
                                      "      and debugging: tensor/matmul_reference.c)";

void apply_kernel_args_or_exit(const Command *command, const KernelArgs *args) {
    int threads = args->threads;
    if (option_given(command, "threads")) {
        if (threads < 1 || threads > PARALLEL_MAX_THREADS)
            usage_error(command, "--threads must be from 1 to %d, got %d", PARALLEL_MAX_THREADS, threads);
    } else {
        char error[160];
        threads = parallel_default_threads(error, sizeof error);
        if (threads == 0) usage_error(command, "%s", error);
    }
    parallel_set_threads(threads);
    set_reference_kernels(args->reference_kernels);
}
