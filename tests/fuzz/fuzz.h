// The fuzz stage: generated hostile inputs for the gpt program, run against the
// sanitizer build (make MODE=debug fuzz; .ci/run runs it after the sanitizer stage).
//
// Every case is made from (seed, case number) alone, so `--seed S --only K` makes and runs
// case K again exactly. A case is one of:
//   - a checkpoint, mutated: a field set to an extreme value, bits flipped, bytes cut,
//     inserted or deleted, a NaN among the weights; mostly with the declared size and
//     the CRC made right again, so that the parser itself meets the damage;
//   - a BPE vocabulary, mutated line by line;
//   - a task file in one of the formats of gpt/tasks, generated and then damaged;
//   - a command with one or two options set to an extreme value (numbers huge, negative,
//     NaN, empty, missing; paths to devices, FIFOs, directories, nothing).
// Each runs with a time limit. A case fails on: a signal (a crash or an abort), a
// sanitizer report, the time limit, an exit status other than 0, 1 and 2, an error
// exit without a message, a temporary file left behind, or exit 0 without what the
// command prints when it works.
#ifndef GPT1_FUZZ_H
#define GPT1_FUZZ_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tensor/rng.h"

enum { FUZZ_MAX_ARGS = 48, FUZZ_STRINGS = 1 << 15, FUZZ_PATH = 1024, FUZZ_DIR = 512 };

// The files every case starts from, made once by the gpt program under test.
typedef struct Seeds {
    char dir[FUZZ_DIR];
    const char *gpt;                 // the program under test (an absolute path)
    char text[FUZZ_PATH];            // a short training text
    char lm[FUZZ_PATH];              // language models: bytes, chars and BPE tokenizers
    char lm_chars[FUZZ_PATH], lm_bpe[FUZZ_PATH];
    char vocab[FUZZ_PATH];           // a BPE vocabulary (gpt bpe-train)
    char log[FUZZ_PATH];             // a training log (gpt pretrain --log)
    char task_data[5][FUZZ_PATH];    // one small file per task: classify, entail, similar, graded, choice
    char task_ckpt[5][FUZZ_PATH];    // a model fine-tuned on each
    char sentiment[FUZZ_PATH];       // positive and negative examples, for gpt zeroshot
    bool importer;                   // the program has gpt import (and so the folders below)
    char release[FUZZ_PATH];         // GPT-1's release: params_shapes.json, params_N.npy, its vocabulary
    char hf[FUZZ_PATH], hf_chars[FUZZ_PATH];  // Hugging Face folders, from gpt export
} Seeds;

// What a run must show when it exits 0.
typedef struct Expect {
    const char *stdout_has;  // NULL: nothing asked of stdout
    const char *stderr_has;
    char file[FUZZ_PATH];    // "": no file; else it must exist and not be empty
    int stdout_lines;        // > 0: exactly this many lines (predict answers every line)
} Expect;

typedef struct Case {
    int index;
    Rng rng;
    char dir[FUZZ_DIR];           // the case's directory, the run's working directory
    const char *kind;             // "checkpoint", "vocabulary", "task file", "options"
    char what[512];               // what was done to the input, for the report
    char *argv[FUZZ_MAX_ARGS + 1];
    int argc;
    char strings[FUZZ_STRINGS];   // the argument strings
    size_t used;
    char stdin_path[FUZZ_PATH];   // "": /dev/null
    Expect expect;
} Case;

// --- Building a case (fuzz_case.c) ---------------------------------------------------
void case_init(Case *c, int index, uint64_t seed, const char *base_dir, const char *gpt);
void case_arg(Case *c, const char *arg);                    // appends one argument
void case_args(Case *c, const char *args);                  // appends space-separated arguments
const char *case_path(Case *c, const char *name);           // DIR/name, kept in the case's strings
void case_note(Case *c, const char *format, ...);           // appends to c->what
// Gives `flag` (e.g. "--ckpt") this value: the one already there is replaced, or both appended.
void case_set_option(Case *c, const char *flag, const char *value);
bool write_bytes(const char *path, const void *bytes, size_t n);
unsigned char *read_bytes(const char *path, size_t *n);     // NULL when it cannot be read
int pick(Case *c, int n);                                   // uniform in [0, n)
bool chance(Case *c, double p);

// --- The kinds of case ------------------------------------------------------------------
void make_checkpoint_case(Case *c, const Seeds *seeds);     // fuzz_checkpoint.c
void make_vocabulary_case(Case *c, const Seeds *seeds);     // fuzz_text.c
void make_task_file_case(Case *c, const Seeds *seeds);      // fuzz_text.c
void make_options_case(Case *c, const Seeds *seeds);        // fuzz_options.c
void make_import_case(Case *c, const Seeds *seeds);         // fuzz_import.c
// The text mutations shared by the kinds: bytes inserted, deleted, replaced, lines repeated.
void mutate_text(Case *c, unsigned char **bytes, size_t *n);

// --- The commands (fuzz_options.c) --------------------------------------------------------
// Reads `gpt --help` and each command's --help: the options and whether they take a value.
bool learn_commands(const char *gpt, char *error, size_t error_len);
// A command line that works on the seeds (its outputs in the case's directory), with
// what its success prints; the caller may then spoil it. `command` is one of the program's
// or "resume" (pretrain --resume) or "eval-task" (eval --task); `task` picks the seed task
// of finetune, eval-task and predict (0 to 4; -1: any).
void base_command(Case *c, const Seeds *seeds, const char *command, int task);
int fuzz_command_count(void);
const char *fuzz_command_name(int i);
bool fuzz_has_command(const char *name);
// Appends `--option VALUE` with an extreme value for a random option of the command.
void add_hostile_option(Case *c, const Seeds *seeds, const char *command);

// --- Seeds (fuzz_seeds.c) and running (fuzz_run.c) ---------------------------------------
bool make_seeds(Seeds *seeds, const char *dir, const char *gpt, char *error, size_t error_len);
const char *seed_task_name(int task);   // "classify", "entail", "similar", "similar", "choice"
const char *seed_task_flags(int task);  // "--regression" for the graded one
bool make_import_seeds(Seeds *seeds, char *error, size_t error_len);  // the folders gpt import reads

typedef struct Outcome {
    bool failed;
    int exit_status;  // 0, 1 or 2 for a run that ended normally; -1 otherwise
    char why[512];
    double seconds;
} Outcome;

typedef struct Running {
    int pid;
    double started;
} Running;

// Starts the case's command in its directory (stdout and stderr into files there).
Running start_case(const Case *c);
// Collects a finished run (status from waitpid, or a timeout) and judges it.
Outcome judge_case(const Case *c, int status, bool timed_out, double seconds);
double fuzz_now(void);

#endif
