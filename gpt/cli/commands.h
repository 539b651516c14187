// The subcommands of the gpt program, and what they share.
#ifndef GPT1_CLI_COMMANDS_H
#define GPT1_CLI_COMMANDS_H

#include <stddef.h>

#include "gpt/checkpoint.h"
#include "gpt/cli/options.h"
#include "gpt/text_data.h"

int pretrain_command(int argc, char **argv);
int sample_command(int argc, char **argv);
int eval_command(int argc, char **argv);
int inspect_command(int argc, char **argv);
int bench_command(int argc, char **argv);
int bpe_train_command(int argc, char **argv);

// The default training text, built into the program: this project's own documentation.
extern const unsigned char embedded_corpus[];
extern const unsigned long embedded_corpus_size;

// The text of --data, or the embedded corpus when path is NULL; exits with a clear
// message when the file is missing or empty. Free the result.
char *load_text_or_exit(const Command *command, const char *path, size_t *len);
Gpt *load_checkpoint_or_exit(const Command *command, const char *path, Tokenizer *tokenizer, TrainingState *state);
TokenSequence encode_or_exit(const Command *command, const Tokenizer *tokenizer, const char *text, size_t len,
                             const char *source);
// Prints the text of the ids to stdout.
void print_tokens(const Tokenizer *tokenizer, const int *ids, long n);

#endif
