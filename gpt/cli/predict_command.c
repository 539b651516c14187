// gpt predict: a fine-tuned model's answer for examples typed on stdin, one per line,
// fields separated by tabs:  text | premise\thypothesis | a\tb | context\toption1\toption2...
// getline (a line of any length, in a buffer it grows itself) is POSIX.
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/step_memory.h"
#include "gpt/task_batch.h"
#include "gpt/task_heads.h"

enum { MAX_LINE_FIELDS = TASK_MAX_TEXTS };  // a context and TASK_MAX_OPTIONS options

// Reads one line of any length (without its newline or "\r\n") into *line; false at
// the end of the input. Out of memory ends the program: getline would report it as
// the end, and the remaining lines would be skipped without a word.
static bool read_line(FILE *in, char **line, size_t *capacity) {
    errno = 0;
    ssize_t n = getline(line, capacity, in);
    if (n < 0 && errno == ENOMEM) runtime_error("stdin: out of memory reading a line");
    if (n < 0) return false;
    if (n > 0 && (*line)[n - 1] == '\n') n--;
    if (n > 0 && (*line)[n - 1] == '\r') n--;
    (*line)[n] = '\0';
    return true;
}

static int count_fields(const char *line) {
    int n = 1;
    for (const char *tab = strchr(line, '\t'); tab != NULL; tab = strchr(tab + 1, '\t')) n++;
    return n;
}

// Cuts the line at its tabs; the caller has checked there are at most MAX_LINE_FIELDS.
static void split_tabs(char *line, char **fields) {
    for (char *field = line; field != NULL; fields++) {
        *fields = field;
        char *tab = strchr(field, '\t');
        if (tab != NULL) *tab = '\0';
        field = tab != NULL ? tab + 1 : NULL;
    }
}

// What a line of this task holds, for the message about a wrong count.
static const char *expected_fields(TaskKind task) {
    switch (task) {
    case TASK_CLASSIFY: return "1 field (the text)";
    case TASK_ENTAIL: return "2 tab-separated fields (the premise and the hypothesis)";
    case TASK_SIMILAR: return "2 tab-separated fields (the two texts)";
    default: return "tab-separated fields: a context and at least 2 options";
    }
}

static bool right_field_count(TaskKind task, int n) {
    if (task == TASK_CHOICE) return n >= 3;
    return n == (task == TASK_CLASSIFY ? 1 : 2);
}

static void print_answer(const TaskModel *model, const float *p, int width) {
    if (model->head.regression) {
        printf("%.4f\n", p[0]);
        return;
    }
    int best = 0;
    for (int k = 1; k < width; k++)
        if (p[k] > p[best]) best = k;
    bool named = model->head.task != TASK_CHOICE && best < model->n_label_names;
    if (named) printf("%s\t", model->label_names[best]);
    else printf("option %d\t", best + 1);
    for (int k = 0; k < width; k++) {
        if (model->head.task != TASK_CHOICE && k < model->n_label_names) printf("%s%s=%.4f", k ? " " : "", model->label_names[k], p[k]);
        else printf("%s%d=%.4f", k ? " " : "", k + 1, p[k]);
    }
    printf("\n");
}

// As in a data file, every text has something in it.
static bool fields_have_text(char *const *fields, int n, TaskKind task, long line_number) {
    for (int i = 0; i < n; i++) {
        if (fields[i][0] != '\0') continue;
        if (n == 1) fprintf(stderr, "stdin:%ld: an empty line: expected %s\n", line_number, expected_fields(task));
        else fprintf(stderr, "stdin:%ld: field %d is empty: expected some text\n", line_number, i + 1);
        return false;
    }
    return true;
}

// The example's sequences (one per option for multiple choice) in one forward pass.
static bool fits_step_memory(const TaskModel *model, const EncodedExample *example, long line_number) {
    TaskKind task = model->head.task;
    const GptConfig *config = &model->gpt->config;
    char why[256];
    int longest = task_longest_sequence(task, example, 1, config->n_ctx);
    if (step_memory_fits(config, task_views(task, example), longest, false, why, sizeof why)) return true;
    fprintf(stderr, "stdin:%ld: %s\n", line_number, why);
    return false;
}

// One line: its fields become an example (tokens), the model answers.
static bool predict_line(TaskModel *model, const Tokenizer *tokenizer, char *line, long line_number) {
    TaskKind task = model->head.task;
    int n = count_fields(line);
    if (n > MAX_LINE_FIELDS) {
        fprintf(stderr, "stdin:%ld: at most %d fields (a context and %d options), got %d\n", line_number,
                MAX_LINE_FIELDS, TASK_MAX_OPTIONS, n);
        return false;
    }
    if (!right_field_count(task, n)) {
        fprintf(stderr, "stdin:%ld: expected %s, got %d\n", line_number, expected_fields(task), n);
        return false;
    }
    char *fields[MAX_LINE_FIELDS];
    split_tabs(line, fields);
    if (!fields_have_text(fields, n, task, line_number)) return false;
    TaskExample example = {.n_texts = n};
    for (int i = 0; i < n; i++) example.text[i] = fields[i];
    TaskDataset one = {.task = task, .examples = &example, .n_examples = 1};
    EncodedDataset encoded;
    char error[256];
    if (!encode_dataset(&one, tokenizer, &encoded, error, sizeof error)) {
        fprintf(stderr, "stdin:%ld: %s\n", line_number, error);
        return false;
    }
    if (!fits_step_memory(model, &encoded.examples[0], line_number)) {
        encoded_dataset_free(&encoded);
        return false;
    }
    int width = output_width(&model->head, &encoded.examples[0]);
    float *p = malloc(sizeof(float) * (size_t)width);
    if (p == NULL) runtime_error("out of memory for %d outputs", width);
    task_predict(model, tokenizer, encoded.examples, 1, 1, p);
    bool finite = first_non_finite(p, width) < 0;
    if (finite) print_answer(model, p, width);
    else fprintf(stderr, "stdin:%ld: the model's outputs are not finite: its activations overflow (a damaged checkpoint?)\n",
                 line_number);
    fflush(stdout);
    free(p);
    encoded_dataset_free(&encoded);
    return finite;
}

int predict_command(int argc, char **argv) {
    const char *task = NULL, *ckpt = NULL;
    KernelArgs kernels = {0};
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "a fine-tuned checkpoint (required)", 0},
        {"task", OPTION_STRING, &task, "the checkpoint's task, as a check (default: whatever it is)", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"predict",
                       "Reads examples from stdin, one per line, fields separated by tabs, and prints the\n"
                       "predicted label and every label's probability (the score, for graded similarity).",
                       "predict --ckpt CKPT [--task T] < examples.txt", options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    Tokenizer tokenizer;
    TaskModel *model = load_task_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    if (task != NULL && task_or_exit(&command, task) != model->head.task)
        usage_error(&command, "%s has a %s head, not %s", ckpt, task_name(model->head.task), task);
    char *line = NULL;
    size_t capacity = 0;
    long line_number = 0, bad = 0;
    while (read_line(stdin, &line, &capacity)) bad += !predict_line(model, &tokenizer, line, ++line_number);
    free(line);
    task_model_free(model);
    tokenizer_free(&tokenizer);
    return bad > 0 ? EXIT_USAGE : 0;
}
