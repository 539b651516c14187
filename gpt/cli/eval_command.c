// gpt eval: the mean next-token cross-entropy of a checkpoint on a text file.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpt/cli/commands.h"
#include "gpt/evaluate.h"

// A language model's loss has no use for these: refused rather than silently ignored.
static void refuse_task_only_options(const Command *command) {
    static const char *const task_only[] = {"format", "predictions", "skip-bad"};
    for (size_t i = 0; i < sizeof task_only / sizeof *task_only; i++)
        if (option_given(command, task_only[i])) usage_error(command, "--%s needs --task", task_only[i]);
}

int eval_command(int argc, char **argv) {
    const char *ckpt = NULL, *data = NULL, *task = NULL, *format = NULL, *predictions = NULL;
    int batch = 8;
    bool skip_bad = false;
    KernelArgs kernels = {0};
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "checkpoint to evaluate (required)", 0},
        {"data", OPTION_STRING, &data, "text file, or task examples with --task (required)", 0},
        {"batch", OPTION_INT, &batch, "windows, or task examples, evaluated together (does not change the result)", 0},
        {"task", OPTION_STRING, &task, "a fine-tuned checkpoint's task: classify, entail, similar or choice", 0},
        {"format", OPTION_STRING, &format, "with --task: auto, tsv, sst2, sick, mrpc, stsb or storycloze", 0},
        {"predictions", OPTION_STRING, &predictions, "with --task: write each example's prediction to this file", 0},
        {"skip-bad", OPTION_FLAG, &skip_bad, "with --task: skip malformed rows (and count them)", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"eval",
                       "Prints `loss: X`, the mean next-token cross-entropy in nats over consecutive,\n"
                       "non-overlapping windows of n_ctx + 1 tokens; a tail of at least 2 tokens is one\n"
                       "more, shorter window; dropout is off.\n"
                       "With --task: prints `accuracy: X` (and `f1: X` for two classes), or Pearson and\n"
                       "Spearman correlations for graded similarity.",
                       "eval --ckpt CKPT --data FILE [--task T [--format F] [--predictions OUT]]", options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    if (data == NULL) usage_error(&command, "--data is required");
    if (batch < 1) usage_error(&command, "--batch must be at least 1, got %d", batch);
    if (task != NULL) {
        TaskEvalArgs args = {task, ckpt, data, format, predictions, batch, skip_bad};
        return task_eval_command(&command, &args);
    }
    refuse_task_only_options(&command);
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    size_t len;
    char *text = load_text_or_exit(&command, data, &len);
    TokenSequence tokens = encode_or_exit(&command, &tokenizer, text, len, data);
    if (tokens.n < 2) usage_error(&command, "%s: at least 2 tokens are needed, found %ld", data, tokens.n);
    long windows = evaluation_windows(tokens.n, model->config.n_ctx);
    check_step_memory_or_exit(&command, &model->config, windows < batch ? windows : batch, model->config.n_ctx, false);
    long scored;
    double loss = evaluate_lm_loss(model, &tokens, batch, 0, &scored);
    if (!isfinite(loss))  // finite weights, but so large that the activations overflow
        runtime_error("%s: the loss on %s is not finite (%g): the model's outputs overflow (a damaged checkpoint?)",
                      ckpt, data, loss);
    printf("loss: %.6f\n", loss);
    fprintf(stderr, "%ld predictions scored, perplexity %.3f\n", scored, exp(loss));
    free(tokens.ids);
    free(text);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
