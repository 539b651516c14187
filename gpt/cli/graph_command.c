// gpt graph: the autograd graph of one forward pass, its loss and one backward pass, as
// an SVG picture laid out by the program (gpt/pictures/graph_picture.h) or in Graphviz
// DOT; with --values, every node's value and gradient as well, in the picture and on
// stdout. Without --ckpt it draws a model small enough to read every number of.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/cli/commands.h"
#include "gpt/pictures/graph_picture.h"

enum { DEFAULT_TOKENS = 5 };  // 4 inputs and their 4 next-token targets
static const char SMALL_MODEL_TEXT[] = "abcd";  // 3 inputs, each predicting the next character
// The model drawn without --ckpt: one block of width 4 with one head, on the characters of --text.
static const GptConfig SMALL_MODEL = {.n_layers = 1, .d_model = 4, .n_heads = 1, .d_ff = 8, .n_ctx = 16,
                                      .activation = ACTIVATION_RELU};

// The ids of --text (its last n_ctx + 1 tokens), or a few arbitrary ids: the text
// changes the shapes written on the nodes, never the graph itself.
static TokenSequence graph_tokens(const Command *command, const Tokenizer *tokenizer, const char *text, int n_ctx,
                                  int vocab) {
    TokenSequence tokens;
    if (text == NULL) {
        tokens.n = n_ctx + 1 < DEFAULT_TOKENS ? n_ctx + 1 : DEFAULT_TOKENS;
        tokens.ids = malloc(sizeof(int) * (size_t)tokens.n);
        if (tokens.ids == NULL) runtime_error("graph: out of memory for %ld tokens", tokens.n);
        for (long i = 0; i < tokens.n; i++) tokens.ids[i] = (int)(i % vocab);
        return tokens;
    }
    tokens = encode_or_exit(command, tokenizer, text, strlen(text), "--text");
    if (tokens.n < 2)
        usage_error(command, "--text needs at least 2 tokens: the loss predicts each token from the ones before");
    keep_last_tokens(&tokens, n_ctx + 1);  // n_ctx inputs and the target of the last
    return tokens;
}

// The model of --ckpt, or a new small one whose vocabulary is the characters of the text.
static Gpt *graph_model(const Command *command, const char *ckpt, const char **text, Tokenizer *tokenizer) {
    if (ckpt != NULL) return load_checkpoint_or_exit(command, ckpt, tokenizer, NULL);
    if (*text == NULL) *text = SMALL_MODEL_TEXT;
    tokenizer_init_chars(tokenizer, *text, strlen(*text));
    GptConfig config = SMALL_MODEL;
    config.vocab_size = tokenizer_vocab_size(tokenizer);
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);
    return model;
}

static void write_graph(const Command *command, const char *out, bool values, const char *title) {
    GraphPicture picture;
    if (!graph_picture_layout(&picture, values)) runtime_error("graph: out of memory for %d nodes", the_tape.n_nodes);
    if (values) graph_write_text(stdout, &picture);
    FILE *file = open_output_or_exit(command, out);
    bool written = true;
    if (ends_with_text(out, ".dot"))
        graph_write_dot(file);
    else
        written = graph_write_svg(file, &picture, title);
    close_output_or_exit(file, out, written && !ferror(file));
    graph_picture_free(&picture);
}

int graph_command(int argc, char **argv) {
    const char *ckpt = NULL, *text = NULL, *out = "graph.svg";
    bool values = false;
    KernelArgs kernels = {0};
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "checkpoint to read (default: a new model of 1 block, width 4, 1 head)", 0},
        {"text", OPTION_STRING, &text, "text of the forward pass (default: \"abcd\", or 5 tokens with --ckpt)", 0},
        {"values", OPTION_FLAG, &values, "show every node's value and gradient (in the picture, and on stdout)", 0},
        {"out", OPTION_STRING, &out, "the picture: .svg, or .dot for Graphviz", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"graph", "Draws the autograd graph of one forward pass, its loss L1 and one backward pass.",
                       "graph [--ckpt CKPT] [--text TEXT] [--values] [--out graph.svg]", options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    if (!ends_with_text(out, ".svg") && !ends_with_text(out, ".dot"))
        usage_error(&command, "--out must name an .svg or a .dot file, got '%s'", out);
    Tokenizer tokenizer;
    Gpt *model = graph_model(&command, ckpt, &text, &tokenizer);
    TokenSequence tokens = graph_tokens(&command, &tokenizer, text, model->config.n_ctx, model->config.vocab_size);
    check_step_memory_or_exit(&command, &model->config, 1, tokens.n - 1, true);  // the tape and its saved values
    check_output_or_exit(&command, out);  // before the work, not after it
    set_grad_enabled(true);  // the tape records only while gradients are on
    set_keep_grads(true);    // every node's gradient stays for the picture (--values)
    int seq = (int)tokens.n - 1;
    Tensor *loss = lm_loss(gpt_logits(model, tokens.ids, 1, seq), tokens.ids + 1);
    backward(loss);
    char title[160];
    snprintf(title, sizeof title, "The autograd graph: %d nodes for %d tokens, loss %.4f%s", the_tape.n_nodes, seq,
             (double)loss->data[0], values ? ", values (blue) and gradients (red) after one backward" : "");
    write_graph(&command, out, values, title);
    fprintf(stderr, "%s: %d nodes for %d tokens, loss %.4f\n", out, the_tape.n_nodes, seq, (double)loss->data[0]);
    tape_reset();
    free(tokens.ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
