// The subcommands of the gpt program, and what they share.
#ifndef GPT1_CLI_COMMANDS_H
#define GPT1_CLI_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

#include "gpt/checkpoint.h"
#include "gpt/cli/options.h"
#include "gpt/sgd.h"
#include "gpt/tasks/task_encode.h"
#include "gpt/text_data.h"

int pretrain_command(int argc, char **argv);
int sample_command(int argc, char **argv);
int eval_command(int argc, char **argv);
int inspect_command(int argc, char **argv);
int bench_command(int argc, char **argv);
int bpe_train_command(int argc, char **argv);
int finetune_command(int argc, char **argv);
int predict_command(int argc, char **argv);
int plot_command(int argc, char **argv);
int attention_command(int argc, char **argv);
int graph_command(int argc, char **argv);
int encode_command(int argc, char **argv);
int decode_command(int argc, char **argv);
int import_command(int argc, char **argv);
int export_command(int argc, char **argv);
int zeroshot_command(int argc, char **argv);

// --threads and --reference-kernels: the options of every command that computes.
typedef struct KernelArgs {
    int threads;             // 0: not given
    bool reference_kernels;
} KernelArgs;
extern const char THREADS_HELP[], REFERENCE_KERNELS_HELP[];
// Sets the kernels' thread count (--threads, else GPT_THREADS, else the machine's online
// cores) and the reference-kernel switch; a bad --threads or GPT_THREADS exits 2.
void apply_kernel_args_or_exit(const Command *command, const KernelArgs *args);

// gpt eval --task: the flags that concern a fine-tuned checkpoint.
typedef struct TaskEvalArgs {
    const char *task, *ckpt, *data, *format, *predictions;
    int batch;
    bool skip_bad;
} TaskEvalArgs;
int task_eval_command(const Command *command, const TaskEvalArgs *args);

// The default training text, built into the program: this project's own documentation.
extern const unsigned char embedded_corpus[];
extern const unsigned long embedded_corpus_size;

// The text of --data: a file, synthetic:NAME (gpt/synthetic_text.h), or the embedded
// corpus when path is NULL; exits with a clear message when the file is missing or
// empty. Free the result.
char *load_text_or_exit(const Command *command, const char *path, size_t *len);
Gpt *load_checkpoint_or_exit(const Command *command, const char *path, Tokenizer *tokenizer, TrainingState *state);
// A fine-tuned checkpoint; a language model's exits 2, saying it has no task head.
TaskModel *load_task_checkpoint_or_exit(const Command *command, const char *path, Tokenizer *tokenizer,
                                        TrainingState *state);
// Exits 2 when a step of `batch` sequences of `seq` tokens (training, or a forward pass
// with gradients off) would not fit the step memory (gpt/step_memory.h).
void check_step_memory_or_exit(const Command *command, const GptConfig *config, long batch, long seq, bool training);
TokenSequence encode_or_exit(const Command *command, const Tokenizer *tokenizer, const char *text, size_t len,
                             const char *source);
// --warmup of pretrain and finetune: "N" steps, or "P%" of all the steps (the paper's
// fine-tuning: 0.2%), into sgd->warmup_steps or sgd->warmup_fraction; anything else exits 2.
void warmup_or_exit(const Command *command, const char *text, SgdOptions *sgd);
// --optimizer: sgd or adam. Adam without --lr trains at adam_lr (its steps are about η
// whatever the gradient's scale, so SGD's rates would be far too large).
void optimizer_or_exit(const Command *command, const char *name, float adam_lr, SgdOptions *sgd);
// The model reads at most n tokens: a longer sequence keeps its last n.
void keep_last_tokens(TokenSequence *tokens, long n);
// --task as one of the four task heads; a missing or unknown name exits, echoing it.
TaskKind task_or_exit(const Command *command, const char *text);
// Fine-tuning data, or an exit with a message naming the file, line and field.
TaskReadOptions read_options_or_exit(const Command *command, const char *task, const char *format, bool graded,
                                     bool skip_bad);
// The data must be what the head predicts (graded scores or classes, as many classes as
// outputs); exits 2 naming the file and `model_name` otherwise.
void check_task_data_fits_or_exit(const Command *command, const char *path, const char *model_name,
                                  const TaskDataset *data, const EncodedDataset *encoded, const TaskHeadConfig *head);
// Exits 2 when a batch of these examples (as many as `batch`, each as long as the
// longest) would not fit the step memory.
void check_task_memory_or_exit(const Command *command, const GptConfig *config, TaskKind task,
                               const EncodedDataset *data, int batch, bool training);
void load_task_data_or_exit(const Command *command, TaskDataset *data, const char *path, const TaskReadOptions *o);
EncodedDataset encode_or_exit_dataset(const Command *command, const TaskDataset *data, const Tokenizer *tokenizer,
                                      const char *path);
// The file a picture command or eval --predictions writes (through a temporary file, see
// gpt/io/replace_file.h): an unwritable path, or one that is not a regular file, exits 2;
// a failed write exits 1.
FILE *open_output_or_exit(const Command *command, const char *path);
void close_output_or_exit(FILE *file, const char *path, bool written);
// Before a long job: exits 2 now, not after the work, when PATH may not be replaced or
// no file can be created beside it. Leaves no file behind and PATH as it was.
void check_output_or_exit(const Command *command, const char *path);
// The same for a --log, which is appended to, not replaced: exits 2 now when it is not a
// regular file (a FIFO would hold the run until someone reads it).
void check_log_or_exit(const Command *command, const char *path);
bool ends_with_text(const char *text, const char *suffix);  // "attn.svg" ends with ".svg"
// --tokenizer: bytes, chars (the distinct bytes of text, when text is not NULL),
// chars:FILE, bpe:VOCAB or gpt1:DIR (gpt/cli/tokenizer_option.c); exits 2 on a problem.
void tokenizer_from_spec_or_exit(const Command *command, const char *spec, const char *text, size_t len,
                                 Tokenizer *tokenizer);
// The tokenizer of --ckpt or of --tokenizer (exactly one may be given).
void tokenizer_for_command_or_exit(const Command *command, const char *ckpt, const char *spec, Tokenizer *tokenizer);
// Prints the text of the ids to stdout.
void print_tokens(const Tokenizer *tokenizer, const int *ids, long n);

#endif
