// gpt attention: one head's attention weights on a text, as a heatmap picture.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/pictures/heatmap.h"

static void check_layer_and_head(const Command *command, const GptConfig *c, int layer, int head) {
    if (layer < 0 || layer >= c->n_layers)
        usage_error(command, "--layer %d is out of range: the model has %d blocks, numbered 0 to %d", layer,
                    c->n_layers, c->n_layers - 1);
    if (head < 0 || head >= c->n_heads)
        usage_error(command, "--head %d is out of range: each block has %d heads, numbered 0 to %d", head, c->n_heads,
                    c->n_heads - 1);
}

// The model reads at most n_ctx tokens, as when sampling: a longer text is cut to
// its last n_ctx tokens, with a note, rather than refused.
static TokenSequence text_tokens(const Command *command, const Tokenizer *tokenizer, const char *text, int n_ctx) {
    if (text == NULL || text[0] == '\0') usage_error(command, "--text is required and must not be empty");
    TokenSequence tokens = encode_or_exit(command, tokenizer, text, strlen(text), "--text");
    if (tokens.n == 0) usage_error(command, "--text gives no tokens");
    if (tokens.n > n_ctx) {
        fprintf(stderr, "note: --text has %ld tokens and the model reads at most %d: showing the last %d\n", tokens.n,
                n_ctx, n_ctx);
        keep_last_tokens(&tokens, n_ctx);
    }
    return tokens;
}

static void write_picture(const Command *command, const char *out, const Heatmap *map) {
    FILE *file = open_output_or_exit(command, out);
    bool written = ends_with_text(out, ".pgm") ? heatmap_write_pgm(file, map) : heatmap_write_svg(file, map);
    close_output_or_exit(file, out, written);
}

static void draw(const Command *command, Gpt *model, const Tokenizer *tokenizer, const TokenSequence *tokens,
                 int layer, int head, const char *out) {
    int n = (int)tokens->n;
    float *weights = malloc(sizeof(float) * (size_t)n * (size_t)n);
    char **labels = malloc(sizeof(char *) * (size_t)n);
    for (int i = 0; i < n; i++) {
        labels[i] = malloc(64);
        heatmap_token_label(tokenizer, tokens->ids[i], labels[i], 64);
    }
    attention_weights(model, tokens->ids, n, layer, head, weights);
    char title[96], subtitle[160];
    snprintf(title, sizeof title, "Attention weights: layer %d, head %d", layer, head);
    snprintf(subtitle, sizeof subtitle, "%d token%s; row i is softmax over the keys j \xe2\x89\xa4 i, so it sums to 1", n,
             n == 1 ? "" : "s");
    Heatmap map = {.weights = weights, .n = n, .labels = labels, .title = title, .subtitle = subtitle, .causal = true};
    write_picture(command, out, &map);
    fprintf(stderr, "%s: layer %d, head %d, %d token%s\n", out, layer, head, n, n == 1 ? "" : "s");
    for (int i = 0; i < n; i++) free(labels[i]);
    free(labels);
    free(weights);
}

int attention_command(int argc, char **argv) {
    const char *ckpt = NULL, *text = NULL, *out = "attn.svg";
    int layer = 0, head = 0;
    KernelArgs kernels = {0};
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "checkpoint to read (required)", 0},
        {"text", OPTION_STRING, &text, "the text the model reads (required; the last n_ctx tokens of a longer one)", 0},
        {"layer", OPTION_INT, &layer, "decoder block, from 0 (blocks.0) to n_layers - 1", 0},
        {"head", OPTION_INT, &head, "attention head of that block, from 0 to n_heads - 1", 0},
        {"out", OPTION_STRING, &out, "the picture: .svg, or .pgm for a plain greyscale image", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"attention", "Draws the attention weights of one head on a text as a heatmap.",
                       "attention --ckpt CKPT --text TEXT [--layer L] [--head H] [--out attn.svg]", options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    if (!ends_with_text(out, ".svg") && !ends_with_text(out, ".pgm"))
        usage_error(&command, "--out must name an .svg or a .pgm file, got '%s'", out);
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    check_layer_and_head(&command, &model->config, layer, head);
    TokenSequence tokens = text_tokens(&command, &tokenizer, text, model->config.n_ctx);
    draw(&command, model, &tokenizer, &tokens, layer, head, out);
    free(tokens.ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
