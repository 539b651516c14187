// gpt: pre-train, sample from, evaluate and inspect GPT-1 models.
//   gpt <command> [options]      gpt <command> --help
// _exit is POSIX.
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autograd/tape.h"
#include "gpt/cli/commands.h"

typedef struct Subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} Subcommand;

static const Subcommand SUBCOMMANDS[] = {
    {"pretrain", pretrain_command, "train a language model on a text file (L1, plain SGD), then print a sample"},
    {"sample", sample_command, "generate text from a checkpoint"},
    {"eval", eval_command, "loss of a language model on a text, or accuracy of a fine-tuned one on a task"},
    {"inspect", inspect_command, "print a checkpoint's config, tokenizer, parameters and step"},
    {"bench", bench_command, "time training steps of a preset (speed and memory)"},
    {"bpe-train", bpe_train_command, "learn byte-pair-encoding merges from a text file"},
    {"finetune", finetune_command, "fine-tune a pre-trained checkpoint on a task (L3 = L2 + λ·L1)"},
    {"predict", predict_command, "a fine-tuned model's label and probabilities for examples read from stdin"},
    {"plot", plot_command, "draw the loss curves of a training log (--log CSV) as an SVG picture"},
    {"attention", attention_command, "draw one head's attention weights on a text as an SVG heatmap"},
    {"graph", graph_command, "write the autograd graph of one forward pass and its loss in Graphviz DOT"},
    {"encode", encode_command, "print the token ids of a text"},
    {"decode", decode_command, "print the text of token ids"},
    {"import", import_command, "read GPT-1's released weights (or a Hugging Face folder) into a checkpoint"},
    {"zeroshot", zeroshot_command, "the paper's zero-shot heuristics (sentiment, choice, acceptability) on a language model"},
    {"export", export_command, "write a checkpoint as a Hugging Face-style folder (model.safetensors, config.json)"},
};
enum { N_SUBCOMMANDS = sizeof SUBCOMMANDS / sizeof SUBCOMMANDS[0] };

static void print_usage(FILE *file) {
    fprintf(file, "usage: gpt <command> [options]\n\ncommands:\n");
    for (int i = 0; i < N_SUBCOMMANDS; i++) fprintf(file, "  %-10s %s\n", SUBCOMMANDS[i].name, SUBCOMMANDS[i].summary);
    fprintf(file, "\n`gpt <command> --help` lists a command's options.\n");
}

static const char *command_name = "";

// At every exit (a return from main, exit, a usage error): output that never reached
// its destination (a full disk, /dev/full, a closed pipe) is a failure, not a success.
// _exit because exit may not be called again from a function that exit runs.
static void check_stdout_at_exit(void) {
    bool failed = ferror(stdout) != 0;
    int error = failed ? EIO : 0;
    if (fclose(stdout) != 0) {
        failed = true;
        error = errno;
    }
    if (!failed) return;
    fprintf(stderr, "gpt%s%s: writing the output failed: %s\n", command_name[0] ? " " : "", command_name,
            strerror(error));
    _exit(EXIT_FAILURE);
}

int main(int argc, char **argv) {
    atexit(check_stdout_at_exit);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    for (int i = 0; i < N_SUBCOMMANDS; i++)
        if (strcmp(argv[1], SUBCOMMANDS[i].name) == 0) {
            command_name = SUBCOMMANDS[i].name;
            int status = SUBCOMMANDS[i].run(argc - 2, argv + 2);
            tape_free();
            return status;
        }
    fprintf(stderr, "gpt: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return EXIT_USAGE;
}
