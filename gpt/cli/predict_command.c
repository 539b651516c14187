// gpt predict: a fine-tuned model's answer for examples typed on stdin, one per line,
// fields separated by tabs:  text | premise\thypothesis | a\tb | context\toption1\toption2...
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/finetune.h"

// Reads one line of any length (without its newline) into *line; false at the end.
static bool read_line(FILE *in, char **line, size_t *capacity) {
    size_t n = 0;
    int c;
    while ((c = fgetc(in)) != EOF && c != '\n') {
        if (n + 2 > *capacity) *line = realloc(*line, *capacity = 2 * *capacity + 256);
        (*line)[n++] = (char)c;
    }
    if (c == EOF && n == 0) return false;
    if (*capacity == 0) *line = realloc(*line, *capacity = 256);
    if (n > 0 && (*line)[n - 1] == '\r') n--;
    (*line)[n] = '\0';
    return true;
}

static int split_tabs(char *line, char **fields, int max) {
    int n = 0;
    for (char *field = line; n < max; field = strchr(field, '\t') + 1) {
        fields[n++] = field;
        if (strchr(field, '\t') == NULL) break;
    }
    for (int i = 0; i + 1 < n; i++) *strchr(fields[i], '\t') = '\0';
    return n;
}

static void print_answer(const Gpt *model, const float *p, int width) {
    if (model->config.head.regression) {
        printf("%.4f\n", p[0]);
        return;
    }
    int best = 0;
    for (int k = 1; k < width; k++)
        if (p[k] > p[best]) best = k;
    bool named = model->config.head.task != TASK_CHOICE && best < model->n_label_names;
    if (named) printf("%s\t", model->label_names[best]);
    else printf("option %d\t", best + 1);
    for (int k = 0; k < width; k++) {
        if (model->config.head.task != TASK_CHOICE && k < model->n_label_names) printf("%s%s=%.4f", k ? " " : "", model->label_names[k], p[k]);
        else printf("%s%d=%.4f", k ? " " : "", k + 1, p[k]);
    }
    printf("\n");
}

// One line: its fields become an example (tokens), the model answers.
static bool predict_line(Gpt *model, const Tokenizer *tokenizer, char *line, long line_number) {
    TaskKind task = model->config.head.task;
    char *fields[MAX_TASK_FIELDS];
    int n = split_tabs(line, fields, MAX_TASK_FIELDS);
    int wanted = task == TASK_CLASSIFY ? 1 : 2;
    if (task == TASK_CHOICE ? n < 3 : n != wanted) {
        fprintf(stderr, "stdin:%ld: expected %s tab-separated fields, got %d\n", line_number,
                task == TASK_CHOICE ? "a context and at least 2 options:" : wanted == 1 ? "1 field (the text), not" : "2", n);
        return false;
    }
    TaskExample example = {.n_texts = n};
    for (int i = 0; i < n; i++) example.text[i] = fields[i];
    TaskDataset one = {.task = task, .examples = &example, .n_examples = 1};
    EncodedDataset encoded;
    char error[256];
    if (!encode_dataset(&one, tokenizer, &encoded, error, sizeof error)) {
        fprintf(stderr, "stdin:%ld: %s\n", line_number, error);
        return false;
    }
    int width = output_width(&model->config, &encoded.examples[0]);
    float *p = malloc(sizeof(float) * (size_t)width);
    task_predict(model, tokenizer, encoded.examples, 1, 1, p);
    print_answer(model, p, width);
    fflush(stdout);
    free(p);
    encoded_dataset_free(&encoded);
    return true;
}

int predict_command(int argc, char **argv) {
    const char *task = NULL, *ckpt = NULL;
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "a fine-tuned checkpoint (required)", 0},
        {"task", OPTION_STRING, &task, "the checkpoint's task, as a check (default: whatever it is)", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"predict",
                       "Reads examples from stdin, one per line, fields separated by tabs, and prints the\n"
                       "predicted label and every label's probability (the score, for graded similarity).",
                       "predict --ckpt CKPT [--task T] < examples.txt", options};
    parse_options(&command, argc, argv);
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    TaskKind expected;
    if (model->config.head.task == TASK_NONE) usage_error(&command, "%s is a language model without a task head", ckpt);
    if (task != NULL && (!task_from_name(task, &expected) || expected != model->config.head.task))
        usage_error(&command, "%s has a %s head, not %s", ckpt, task_name(model->config.head.task), task);
    char *line = NULL;
    size_t capacity = 0;
    long line_number = 0, bad = 0;
    while (read_line(stdin, &line, &capacity)) bad += !predict_line(model, &tokenizer, line, ++line_number);
    free(line);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return bad > 0 ? EXIT_USAGE : 0;
}
