// Supervised fine-tuning data: reads a file into the examples of one of GPT-1's four
// task types (paper §3.3, Figure 1). This module only parses; turning the texts into
// token sequences `<s> premise $ hypothesis <e>` is the model's job.
//
// Formats: the project's own simple TSV (one per task type) and the real files in
// shared/data (SST-2, SICK, MRPC, STS-B, Story Cloze). docs/task_formats.md gives
// every format, the detection rule, the trimming rule, the label orders and the
// error messages.
//
// Errors never abort: a reader returns false with a message `file:line: reason` in
// dataset->error and frees everything it allocated.
#ifndef GPT1_TASK_DATA_H
#define GPT1_TASK_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpt/tasks/task_kind.h"

// The task kinds are TaskKind of gpt/tasks/task_kind.h: TASK_CLASSIFY (text → class),
// TASK_ENTAIL (premise, hypothesis → class), TASK_SIMILAR (a, b → class, or a real
// score when the dataset is graded), TASK_CHOICE (context, option 1..N → the right
// option). TASK_NONE in TaskReadOptions means: take the task the format holds.

typedef enum TaskFormat {
    TASK_FORMAT_AUTO = 0,     // detect from the first line and the file name
    TASK_FORMAT_TSV,          // the project's simple TSV; needs TaskReadOptions.task
    TASK_FORMAT_SST2,         // GLUE SST-2 train.tsv / dev.tsv: classify
    TASK_FORMAT_SICK,         // SICK full release: entail, or similar (relatedness, graded)
    TASK_FORMAT_MRPC,         // msr_paraphrase_train.txt: similar (binary)
    TASK_FORMAT_STSB,         // sts-train.csv / sts-dev.csv: similar (graded 0-5)
    TASK_FORMAT_STORYCLOZE,   // cloze_test_val__spring2016.csv: choice (2 options)
    TASK_FORMAT_COUNT,
} TaskFormat;

enum {
    TASK_MAX_OPTIONS = 8,                      // options of a choice example
    TASK_MAX_TEXTS = 1 + TASK_MAX_OPTIONS,     // context + options
    TASK_ERROR_SIZE = 512,                     // bytes of an error message
    // Dev set sizes used by the original work for sets without a dev split.
    STORYCLOZE_DEV_SIZE = 374,                 // OpenAI's finetune-transformer-lm
    MRPC_DEV_SIZE = 408,                       // GLUE's MRPC dev set
};

// One example. The texts are owned, NUL-terminated copies of the file's bytes with
// leading and trailing spaces and tabs removed; nothing else is changed.
//   classify: text[0] = the text
//   entail:   text[0] = premise,  text[1] = hypothesis
//   similar:  text[0] = a,        text[1] = b
//   choice:   text[0] = context,  text[1 + k] = option k (k = 0 .. n_texts - 2)
typedef struct TaskExample {
    char *text[TASK_MAX_TEXTS];  // NULL past n_texts
    int n_texts;
    int label;    // class index into label_names, or the right option k; -1 when graded
    float score;  // graded similarity only (STS-B 0..5, SICK relatedness 1..5), else 0
    int line;     // the file line the example starts on (1-based), for messages
} TaskExample;

typedef struct TaskDataset {
    TaskKind task;
    TaskFormat format;       // the format that was read (after detection)
    bool graded;             // similar with real-valued scores: no classes, use .score
    TaskExample *examples;
    int n_examples;
    int n_options;           // choice: options per example (the same for all); else 0
    // Classes, index order. label_names[i] is class i as written in the file
    // (SICK: ENTAILMENT, NEUTRAL, CONTRADICTION; choice: "1".."N"). None when graded.
    char **label_names;
    int n_labels;
    int *label_counts;       // examples per class
    int n_skipped;           // bad rows skipped because TaskReadOptions.skip_bad was set
    char first_skipped[TASK_ERROR_SIZE];  // the first skipped row's message, "" if none
    char error[TASK_ERROR_SIZE];          // why reading failed, "" on success
} TaskDataset;

// A zero-initialised TaskReadOptions means: detect the format, take its task, stop at
// the first bad row.
typedef struct TaskReadOptions {
    TaskFormat format;
    TaskKind task;       // required for the simple TSV; for SICK, TASK_SIMILAR reads relatedness
    bool graded;         // simple TSV, similar: labels are real numbers, not classes
    bool skip_bad;       // skip and count bad rows instead of failing on the first one
    // Simple TSV: the classes in index order (e.g. a train set's label_names, to read
    // its dev set with the same indices). NULL: the sorted distinct labels of the file.
    const char *const *labels;
    int n_labels;
} TaskReadOptions;

// Reads a file / a memory buffer into *dataset, which is overwritten (free an old one
// first). `name` is used in messages and for detection; options may be NULL. On
// success returns true; on failure returns false with dataset->error set and no
// memory held. Either way, task_dataset_free(dataset) is safe afterwards.
bool task_data_load(TaskDataset *dataset, const char *path, const TaskReadOptions *options);
bool task_data_parse(TaskDataset *dataset, const char *name, const char *bytes, size_t len,
                     const TaskReadOptions *options);
void task_dataset_free(TaskDataset *dataset);

// A deterministic split for sets without a dev split: a seeded shuffle (the project's
// Rng) picks n_dev examples for `dev`, the rest go to `train`; both keep file order.
// The examples move out of `all`, which is left empty. False (with train->error set,
// `all` untouched) when n_dev is not in 1 .. n_examples - 1.
bool task_dataset_split(TaskDataset *all, int n_dev, uint64_t seed, TaskDataset *train, TaskDataset *dev);

// The format a file holds, from its first line and its name; TASK_FORMAT_TSV when no
// rule matches.
TaskFormat task_format_detect(const char *name, const char *bytes, size_t len);

// Names used on the command line: "auto", "tsv", "sst2", "sick", "mrpc", "stsb",
// "storycloze"; "classify", "entail", "similar", "choice".
const char *task_format_name(TaskFormat format);
bool task_format_from_name(const char *name, TaskFormat *format);

// One line: format, task, counts and the class distribution (or the score range).
void task_dataset_describe(FILE *out, const char *title, const TaskDataset *dataset);

#endif
