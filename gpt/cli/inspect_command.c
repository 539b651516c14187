// gpt inspect: what a checkpoint holds.
#include <stdio.h>

#include "gpt/cli/commands.h"
#include "tensor/parallel.h"

int inspect_command(int argc, char **argv) {
    const char *ckpt = NULL;
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "checkpoint to describe (required)", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"inspect", "Prints a checkpoint's config, tokenizer, parameter table and training step.",
                       "inspect --ckpt CKPT", options};
    parse_options(&command, argc, argv);
    Tokenizer tokenizer;
    TrainingState state;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, &state);
    printf("checkpoint: %s (format version %d)\n", ckpt, CHECKPOINT_VERSION);
    config_print(stdout, &model->config);
    printf("tokenizer: %s, %d text tokens, %d task tokens\n", tokenizer_kind_name(tokenizer.kind),
           tokenizer.n_text_tokens, tokenizer.n_task_tokens);
    printf("step: %ld\n", state.step);
    char error[160];
    int threads = parallel_default_threads(error, sizeof error);
    if (threads > 0) printf("threads: %d (the default here: GPT_THREADS, else the online cores)\n\n", threads);
    else printf("threads: %s\n\n", error);
    parameters_print(stdout, &model->params);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
