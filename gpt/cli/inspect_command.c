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
    // a fine-tuned checkpoint is shown whole: its head, and W_y in the parameter table
    TaskModel *task = ckpt != NULL && checkpoint_has_task_head(ckpt)
                          ? load_task_checkpoint_or_exit(&command, ckpt, &tokenizer, &state) : NULL;
    Gpt *model = task != NULL ? task->gpt : load_checkpoint_or_exit(&command, ckpt, &tokenizer, &state);
    printf("checkpoint: %s (format version %d)\n", ckpt, CHECKPOINT_VERSION);
    config_print(stdout, &model->config);
    if (task != NULL) task_head_print(stdout, &model->config, &task->head);
    printf("tokenizer: %s, %d text tokens, %d task tokens\n", tokenizer_kind_name(tokenizer.kind),
           tokenizer.n_text_tokens, tokenizer.n_task_tokens);
    printf("step: %ld\n", state.step);
    char error[160];
    int threads = parallel_default_threads(error, sizeof error);
    if (threads > 0) printf("threads: %d (the default here: GPT_THREADS, else the online cores)\n\n", threads);
    else printf("threads: %s\n\n", error);
    parameters_print(stdout, &model->params);
    if (task != NULL)
        task_model_free(task);
    else
        gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
