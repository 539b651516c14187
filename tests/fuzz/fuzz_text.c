// Text cases: a BPE vocabulary mutated line by line, and task files of every format of
// gpt/tasks (docs/task_formats.md), generated and then damaged.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"

// --- Lines --------------------------------------------------------------------------------

typedef struct Lines {
    char *line[256];
    int n;
} Lines;

static void split_lines(Lines *l, char *text) {
    l->n = 0;
    for (char *line = strtok(text, "\n"); line != NULL && l->n < 256; line = strtok(NULL, "\n")) l->line[l->n++] = line;
}

static size_t join_lines(const Lines *l, char *out, size_t size) {
    size_t used = 0;
    for (int i = 0; i < l->n && used < size; i++) {
        int w = snprintf(out + used, size - used, "%s\n", l->line[i]);
        if (w < 0) break;
        used += (size_t)w;
    }
    return used < size ? used : size - 1;
}

// A number on a line replaced by an extreme one: "116 104" -> "116 4294967296".
static void extreme_number(Case *c, Lines *l, char *storage, size_t size) {
    static const char *const numbers[] = {"0", "-1", "255", "256", "511", "512", "999999999", "1000000", "1000001",
                                          "2147483647", "4294967296", "99999999999999", "", "x", "1e3"};
    int i = pick(c, l->n);
    const char *number = numbers[pick(c, sizeof numbers / sizeof *numbers)];
    char *space = strchr(l->line[i], ' ');
    snprintf(storage, size, "%.*s %s", space ? (int)(space - l->line[i]) : (int)strlen(l->line[i]), l->line[i], number);
    l->line[i] = storage;
    case_note(c, "line %d: a number set to '%s'", i + 1, number);
}

static void mutate_lines(Case *c, Lines *l, char *storage, size_t size) {
    if (l->n == 0) return;
    int i = pick(c, l->n), j = pick(c, l->n);
    switch (pick(c, 5)) {
    case 0:
        memmove(&l->line[i], &l->line[i + 1], sizeof(char *) * (size_t)(l->n - i - 1));
        l->n--;
        case_note(c, "line %d deleted", i + 1);
        break;
    case 1:
        if (l->n < 256) {
            memmove(&l->line[i + 1], &l->line[i], sizeof(char *) * (size_t)(l->n - i));
            l->n++;
        }
        case_note(c, "line %d repeated", i + 1);
        break;
    case 2: {
        char *t = l->line[i];
        l->line[i] = l->line[j];
        l->line[j] = t;
        case_note(c, "lines %d and %d swapped", i + 1, j + 1);
        break;
    }
    case 3: extreme_number(c, l, storage, size); break;
    default:
        l->line[i] = "end";
        case_note(c, "line %d made 'end'", i + 1);
        break;
    }
}

void make_vocabulary_case(Case *c, const Seeds *seeds) {
    size_t n;
    unsigned char *bytes = read_bytes(seeds->vocab, &n);
    c->kind = "vocabulary";
    if (chance(c, 0.6)) {
        static char text[1 << 16], out[1 << 16], storage[256];
        snprintf(text, sizeof text, "%.*s", (int)n, (const char *)bytes);
        Lines lines;
        split_lines(&lines, text);
        mutate_lines(c, &lines, storage, sizeof storage);
        n = join_lines(&lines, out, sizeof out);
        free(bytes);
        bytes = malloc(n + 1);
        memcpy(bytes, out, n);
    } else {
        mutate_text(c, &bytes, &n);
    }
    const char *path = case_path(c, "vocab.bpe");
    write_bytes(path, bytes, n);
    free(bytes);
    char args[4096];
    snprintf(args, sizeof args, "pretrain --tokenizer bpe:%s --data %s --preset nano --ctx 8 --steps 1 --batch 1 "
             "--sample-tokens 2 --quiet --out %s", path, seeds->text, case_path(c, "out.ckpt"));
    case_args(c, args);
    c->expect.stderr_has = "checkpoint: ";
}

// --- Task files ------------------------------------------------------------------------------

typedef struct Format {
    const char *name;    // --format
    const char *file;    // the file's name (STS-B is told by it)
    int task;            // the seed task of the same kind: 0 classify, 1 entail, 2 similar, 3 graded, 4 choice
    const char *header;  // NULL: none
    const char *row;     // printf: a %s per text, then one for the label (first when label_first)
    int n_texts;
    bool label_first;
    const char *labels[3];
} Format;

static const Format FORMATS[] = {
    {"tsv", "classify.tsv", 0, NULL, "%s\t%s", 1, false, {"cat", "dog", NULL}},
    {"tsv", "entail.tsv", 1, NULL, "%s\t%s\t%s", 2, false, {"yes", "no", "maybe"}},
    {"tsv", "similar.tsv", 2, NULL, "%s\t%s\t%s", 2, false, {"same", "other", NULL}},
    {"tsv", "graded.tsv", 3, NULL, "%s\t%s\t%s", 2, false, {"4.5", "0", "1e-3"}},
    {"tsv", "choice.tsv", 4, NULL, "%s\t%s\t%s\t%s", 3, false, {"1", "2", NULL}},
    {"sst2", "train.tsv", 0, "sentence\tlabel", "%s \t%s", 1, false, {"0", "1", NULL}},
    {"sick", "SICK.txt", 1,
     "pair_ID\tsentence_A\tsentence_B\tentailment_label\trelatedness_score\tentailment_AB\tentailment_BA\t"
     "sentence_A_original\tsentence_B_original\tsentence_A_dataset\tsentence_B_dataset\tSemEval_set",
     "7\t%s\t%s\t%s\t3.5\tA_neutral_B\tB_neutral_A\tx\ty\tFLICKR\tFLICKR\tTRAIN", 2, false,
     {"ENTAILMENT", "NEUTRAL", "CONTRADICTION"}},
    {"mrpc", "msr_paraphrase_train.txt", 2, "\xEF\xBB\xBFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String",
     "%s\t1\t2\t%s\t%s", 2, true, {"0", "1", NULL}},
    {"stsb", "sts-dev.csv", 3, NULL, "main-captions\tMSRvid\t2012test\t0001\t%s\t%s\t%s", 2, true,
     {"5.000", "0.5", "2"}},
    {"storycloze", "cloze.csv", 4,
     "InputStoryid,InputSentence1,InputSentence2,InputSentence3,InputSentence4,RandomFifthSentenceQuiz1,"
     "RandomFifthSentenceQuiz2,AnswerRightEnding",
     "id,%s,\"He said \"\"hi\"\", then\",left.,the end,%s,%s,\"%s\"", 3, false, {"1", "2", NULL}},
};

static const char *const WORDS[] = {"the cat", "a dog sat", "on the mat", "the log", "saw", "which word"};

static size_t task_rows(Case *c, const Format *f, char *out, size_t size) {
    size_t used = 0;
    if (f->header != NULL) used += (size_t)snprintf(out, size, "%s\n", f->header);
    int rows = 2 + pick(c, 5);
    for (int r = 0; r < rows && used < size; r++) {
        const char *t[3] = {WORDS[pick(c, 6)], WORDS[pick(c, 6)], WORDS[pick(c, 6)]};
        int n_labels = f->labels[2] ? 3 : 2;
        const char *label = f->labels[pick(c, n_labels)];
        if (f->n_texts == 1) used += (size_t)snprintf(out + used, size - used, f->row, t[0], label);
        else if (f->label_first) used += (size_t)snprintf(out + used, size - used, f->row, label, t[0], t[1]);
        else if (f->n_texts == 2) used += (size_t)snprintf(out + used, size - used, f->row, t[0], t[1], label);
        else used += (size_t)snprintf(out + used, size - used, f->row, t[0], t[1], t[2], label);
        used += (size_t)snprintf(out + used, size - used, chance(c, 0.1) ? "\r\n" : "\n");
    }
    return used < size ? used : size - 1;
}

void make_task_file_case(Case *c, const Seeds *seeds) {
    const Format *f = &FORMATS[pick(c, sizeof FORMATS / sizeof *FORMATS)];
    static char text[1 << 14];
    size_t n = task_rows(c, f, text, sizeof text);
    unsigned char *bytes = malloc(n + 1);
    memcpy(bytes, text, n);
    c->kind = "task file";
    case_note(c, "%s (%s)", f->file, f->name);
    int rounds = pick(c, 3);  // sometimes none: the file as made must work
    for (int i = 0; i < rounds; i++) mutate_text(c, &bytes, &n);
    const char *path = case_path(c, f->file);
    write_bytes(path, bytes, n);
    free(bytes);
    bool evaluate = chance(c, 0.4), as_dev = !evaluate && chance(c, 0.3);
    int task = f->task;
    if ((task == 2 || task == 3) && chance(c, 0.3)) {  // a class model on graded data, or the other way round
        task = 5 - task;
        case_note(c, "the %s model", task == 3 ? "graded" : "class");
    }
    base_command(c, seeds, evaluate ? "eval-task" : "finetune", task);
    case_set_option(c, evaluate ? "--data" : as_dev ? "--dev" : "--train", path);
    if (chance(c, 0.5)) {
        case_arg(c, "--format");
        case_arg(c, f->name);
    }
    if (chance(c, 0.3)) case_arg(c, "--skip-bad");
    case_note(c, "%s", evaluate ? "eval --task" : as_dev ? "finetune --dev" : "finetune --train");
}
