// gpt graph: the autograd graph of one forward pass and its loss, in Graphviz DOT.
// Render it with `dot -Tsvg graph.dot -o graph.svg`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/cli/commands.h"

enum { DEFAULT_TOKENS = 5 };  // 4 inputs and their 4 next-token targets

// The ids of --text (its last n_ctx + 1 tokens), or a few arbitrary ids: the text
// changes the shapes written on the nodes, never the graph itself.
static TokenSequence graph_tokens(const Command *command, const Tokenizer *tokenizer, const char *text, int n_ctx,
                                  int vocab) {
    TokenSequence tokens;
    if (text == NULL) {
        tokens.n = n_ctx + 1 < DEFAULT_TOKENS ? n_ctx + 1 : DEFAULT_TOKENS;
        tokens.ids = malloc(sizeof(int) * (size_t)tokens.n);
        if (tokens.ids == NULL) runtime_error("out of memory for %ld tokens", tokens.n);
        for (long i = 0; i < tokens.n; i++) tokens.ids[i] = (int)(i % vocab);
        return tokens;
    }
    tokens = encode_or_exit(command, tokenizer, text, strlen(text), "--text");
    if (tokens.n < 2)
        usage_error(command, "--text needs at least 2 tokens: the loss predicts each token from the ones before");
    keep_last_tokens(&tokens, n_ctx + 1);  // n_ctx inputs and the target of the last
    return tokens;
}

int graph_command(int argc, char **argv) {
    const char *ckpt = NULL, *text = NULL, *out = "graph.dot";
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "checkpoint to read (required)", 0},
        {"text", OPTION_STRING, &text, "text of the forward pass (default: 5 tokens; it changes shapes, not the graph)", 0},
        {"out", OPTION_STRING, &out, "the Graphviz DOT file", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"graph", "Writes the autograd graph of one forward pass and its loss L1 in Graphviz DOT.",
                       "graph --ckpt CKPT [--text TEXT] [--out graph.dot]", options};
    parse_options(&command, argc, argv);
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    TokenSequence tokens = graph_tokens(&command, &tokenizer, text, model->config.n_ctx, model->config.vocab_size);
    check_step_memory_or_exit(&command, &model->config, 1, tokens.n - 1, true);  // the tape and its saved values
    FILE *file = open_output_or_exit(&command, out);
    set_grad_enabled(true);  // the tape records only while gradients are on
    int seq = (int)tokens.n - 1;
    Tensor *loss = lm_loss(gpt_logits(model, tokens.ids, 1, seq), tokens.ids + 1);
    graph_write_dot(file);
    close_output_or_exit(file, out, !ferror(file));
    fprintf(stderr, "%s: %d nodes for %d tokens, loss %.4f (render it: dot -Tsvg %s -o graph.svg)\n", out,
            the_tape.n_nodes, seq, (double)loss->data[0], out);
    tape_reset();
    free(tokens.ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
