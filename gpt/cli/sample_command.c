// gpt sample: text from a checkpoint.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/sample.h"

int sample_command(int argc, char **argv) {
    const char *ckpt = NULL, *prompt = "\n";
    int tokens = 300, top_k = 0;
    float temperature = 1.0f;
    long seed = 1;
    KernelArgs kernels = {0};
    bool no_cache = false;
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "checkpoint to sample from (required)", 0},
        {"prompt", OPTION_STRING, &prompt, "text the sample continues (the last n_ctx tokens are read)", 0},
        {"tokens", OPTION_INT, &tokens, "how many tokens to generate (at most 1000000)", 0},
        {"temperature", OPTION_FLOAT, &temperature, "divides the logits; 0 is greedy", 0},
        {"top-k", OPTION_INT, &top_k, "sample among the k most likely tokens only (0: all)", 0},
        {"seed", OPTION_LONG, &seed, "seed of the sampling", 0},
        {"no-cache", OPTION_FLAG, &no_cache,
         "recompute the whole window for every token instead of keeping each block's keys and values (same "
         "tokens, slower: for comparison and for stepping through gpt_logits in gdb)", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"sample", "Generates text: the next token is drawn from softmax(logits / temperature).",
                       "sample --ckpt CKPT [--prompt TEXT] [--tokens N] [--temperature T] [--top-k K] [--seed S] [--no-cache]",
                       options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    if (tokens < 0 || temperature < 0.0f || top_k < 0)
        usage_error(&command, "--tokens, --temperature and --top-k must not be negative");
    if (tokens > SAMPLE_MAX_TOKENS) usage_error(&command, "--tokens must be at most %d, got %d", SAMPLE_MAX_TOKENS, tokens);
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    check_step_memory_or_exit(&command, &model->config, 1, model->config.n_ctx, false);
    if (prompt[0] == '\0') usage_error(&command, "--prompt must not be empty");
    TokenSequence p = encode_or_exit(&command, &tokenizer, prompt, strlen(prompt), "--prompt");
    if (p.n == 0) {  // GPT-1's tokenizer drops blank text (the default "\n"): start a new line instead
        free(p.ids);
        p.ids = malloc(sizeof(int));
        p.ids[0] = tokenizer.byte_to_id['\n'] >= 0 ? tokenizer.byte_to_id['\n'] : 0;
        p.n = 1;
    }
    SampleOptions o = {.n_tokens = tokens, .temperature = temperature, .top_k = top_k,
                       .n_allowed = tokenizer.n_text_tokens, .no_cache = no_cache};
    Rng rng;
    rng_seed(&rng, (uint64_t)seed);
    long n;
    int *ids = generate(model, p.ids, p.n, &o, &rng, &n);
    print_tokens(&tokenizer, ids, n);
    printf("\n");
    free(ids);
    free(p.ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
