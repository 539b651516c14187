// strcasecmp is POSIX.
#define _POSIX_C_SOURCE 200809L

// gpt zeroshot: the paper's zero-shot heuristics (section 5) on a language model.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gpt/cli/commands.h"
#include "gpt/zeroshot.h"

typedef struct ZeroshotArgs {
    const char *ckpt, *task, *data, *format;
    float threshold;
    int max_examples;
} ZeroshotArgs;

static TokenSequence encode_text(const Command *command, const Tokenizer *t, const char *prefix, const char *text,
                                 const char *suffix) {
    size_t n = strlen(prefix) + strlen(text) + strlen(suffix);
    char *joined = malloc(n + 1);
    if (joined == NULL) runtime_error("out of memory");
    snprintf(joined, n + 1, "%s%s%s", prefix, text, suffix);
    TokenSequence s = encode_or_exit(command, t, joined, n, "an example");
    free(joined);
    return s;
}

// The class that a label name means: 1 positive ("1", "positive", "pos"), 0 negative, -1 neither.
static int polarity(const char *name) {
    if (strcmp(name, "1") == 0 || strcasecmp(name, "positive") == 0 || strcasecmp(name, "pos") == 0) return 1;
    if (strcmp(name, "0") == 0 || strcasecmp(name, "negative") == 0 || strcasecmp(name, "neg") == 0) return 0;
    return -1;
}

static double sentiment(const Command *command, Gpt *model, const Tokenizer *t, const TaskDataset *data, int n) {
    int meaning[2];
    for (int c = 0; c < 2; c++) meaning[c] = data->n_labels == 2 ? polarity(data->label_names[c]) : -1;
    if (meaning[0] < 0 || meaning[1] < 0 || meaning[0] == meaning[1])
        usage_error(command, "sentiment needs two classes named 0/1, negative/positive or neg/pos");
    TokenSequence positive = encode_text(command, t, " ", "positive", ""), negative = encode_text(command, t, " ", "negative", "");
    int correct = 0, said_positive = 0;
    for (int i = 0; i < n; i++) {
        TokenSequence x = encode_text(command, t, "", data->examples[i].text[0], " very");
        int guess = sentiment_guess(model, x.ids, (int)x.n, positive.ids, (int)positive.n, negative.ids, (int)negative.n);
        said_positive += guess;
        correct += guess == meaning[data->examples[i].label];
        free(x.ids);
    }
    fprintf(stderr, "sentiment: \"... very\" followed by \"positive\" or \"negative\"; %d of %d guessed positive\n",
            said_positive, n);
    free(positive.ids), free(negative.ids);
    return (double)correct / n;
}

static double choice(const Command *command, Gpt *model, const Tokenizer *t, const TaskDataset *data, int n) {
    int correct = 0;
    for (int i = 0; i < n; i++) {
        const TaskExample *e = &data->examples[i];
        TokenSequence context = encode_text(command, t, "", e->text[0], "");
        int best = 0;
        double best_score = -INFINITY;
        for (int k = 0; k + 1 < e->n_texts; k++) {
            TokenSequence option = encode_text(command, t, " ", e->text[1 + k], "");
            double score = mean_log_prob(model, context.ids, (int)context.n, option.ids, (int)option.n);
            if (score > best_score) best = k, best_score = score;
            free(option.ids);
        }
        correct += best == e->label;
        free(context.ids);
    }
    fprintf(stderr, "choice: the option with the highest average log-probability per token, given the context\n");
    return (double)correct / n;
}

typedef struct Scored {
    double score;
    int acceptable;
} Scored;

static int by_score(const void *a, const void *b) {
    double x = ((const Scored *)a)->score, y = ((const Scored *)b)->score;
    return (x > y) - (x < y);
}

// The threshold that classifies the most examples right: between two neighbouring scores.
static double best_threshold(Scored *s, int n) {
    qsort(s, (size_t)n, sizeof *s, by_score);
    int right = 0, best = -1;
    for (int i = 0; i < n; i++) right += s[i].acceptable;  // everything above a threshold below all
    double threshold = s[0].score - 1.0;
    best = right;
    for (int i = 0; i < n; i++) {
        right += s[i].acceptable ? -1 : 1;  // s[i] now falls below the threshold
        if (right > best && (i + 1 == n || s[i + 1].score > s[i].score))
            best = right, threshold = i + 1 < n ? 0.5 * (s[i].score + s[i + 1].score) : s[i].score + 1.0;
    }
    return threshold;
}

static double acceptability(const Command *command, Gpt *model, const Tokenizer *t, const TaskDataset *data, int n,
                            const ZeroshotArgs *a) {
    if (data->n_labels != 2) usage_error(command, "acceptability needs two classes (0 unacceptable, 1 acceptable)");
    int start = t->byte_to_id['\n'] >= 0 ? t->byte_to_id['\n'] : 0;  // the sentence follows a line break
    Scored *s = malloc(sizeof *s * (size_t)n);
    if (s == NULL) runtime_error("out of memory for %d scores", n);
    for (int i = 0; i < n; i++) {
        TokenSequence x = encode_text(command, t, "", data->examples[i].text[0], "");
        s[i] = (Scored){mean_log_prob(model, &start, 1, x.ids, (int)x.n), data->examples[i].label == 1};
        free(x.ids);
    }
    bool given = option_given(command, "threshold");
    double threshold = given ? a->threshold : best_threshold(s, n);
    int correct = 0;
    for (int i = 0; i < n; i++) correct += (s[i].score > threshold) == s[i].acceptable;
    fprintf(stderr, "acceptability: average log-probability per token > %.4f%s\n", threshold,
            given ? "" : " (the best threshold on these examples: an optimistic accuracy)");
    free(s);
    return (double)correct / n;
}

static int run(const Command *command, const ZeroshotArgs *a) {
    bool is_choice = strcmp(a->task, "choice") == 0;
    if (!is_choice && strcmp(a->task, "sentiment") != 0 && strcmp(a->task, "acceptability") != 0)
        usage_error(command, "--task must be sentiment, choice or acceptability, got '%s'", a->task);
    TaskReadOptions read = read_options_or_exit(command, is_choice ? "choice" : "classify", a->format, false, false);
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(command, a->ckpt, &tokenizer, NULL);
    TaskDataset data;
    load_task_data_or_exit(command, &data, a->data, &read);
    int n = a->max_examples > 0 && a->max_examples < data.n_examples ? a->max_examples : data.n_examples;
    if (n == 0) usage_error(command, "%s: no examples", a->data);
    double accuracy = is_choice ? choice(command, model, &tokenizer, &data, n)
                      : a->task[0] == 's' ? sentiment(command, model, &tokenizer, &data, n)
                                          : acceptability(command, model, &tokenizer, &data, n, a);
    printf("accuracy: %.4f\n", accuracy);
    fprintf(stderr, "%d examples of %s\n", n, a->data);
    task_dataset_free(&data);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}

int zeroshot_command(int argc, char **argv) {
    ZeroshotArgs a = {.format = "auto"};
    KernelArgs kernels = {0};
    Option options[] = {
        {"ckpt", OPTION_STRING, &a.ckpt, "a pre-trained language model (required)", 0},
        {"task", OPTION_STRING, &a.task, "sentiment, choice or acceptability (required)", 0},
        {"data", OPTION_STRING, &a.data, "the examples: SST-2 or a classify TSV; Story Cloze or a choice TSV (required)", 0},
        {"format", OPTION_STRING, &a.format, "auto, tsv, sst2 or storycloze", 0},
        {"threshold", OPTION_FLOAT, &a.threshold, "acceptability: the score above which a sentence is acceptable "
                                                  "(default: the best on the data)", 0},
        {"max-examples", OPTION_INT, &a.max_examples, "score only the first N examples (0: all)", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"zeroshot",
                       "The zero-shot heuristics of the paper's section 5: a language model, not fine-tuned,\n"
                       "guesses by comparing probabilities. Prints `accuracy: X`.\n"
                       "  sentiment      is \"positive\" or \"negative\" more likely after the text and \"very\"?\n"
                       "  choice         the option with the highest average log-probability per token\n"
                       "  acceptability  the sentence's average log-probability per token against a threshold",
                       "zeroshot --ckpt CKPT --task sentiment|choice|acceptability --data FILE [--max-examples N]",
                       options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    if (a.ckpt == NULL || a.task == NULL || a.data == NULL) usage_error(&command, "--ckpt, --task and --data are required");
    if (a.max_examples < 0) usage_error(&command, "--max-examples must not be negative (0: all)");
    return run(&command, &a);
}
