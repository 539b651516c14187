// gpt attention: one head's attention weights on a text, as a heatmap picture.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/pictures/attention_scores.h"
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

// Every head's weights on the text, [n_layers, n_heads, n, n], and its scores.
typedef struct HeadTable {
    float *weights;
    HeadScores *scores;
    int layers, heads, n;
} HeadTable;

static HeadTable measure_heads(Gpt *model, const TokenSequence *tokens) {
    HeadTable t = {.layers = model->config.n_layers, .heads = model->config.n_heads, .n = (int)tokens->n};
    size_t per_head = (size_t)t.n * (size_t)t.n, count = (size_t)t.layers * (size_t)t.heads;
    t.weights = malloc(sizeof(float) * per_head * count);
    t.scores = malloc(sizeof(HeadScores) * count);
    if (t.weights == NULL || t.scores == NULL)
        runtime_error("attention: out of memory for the weights of %zu heads", count);
    attention_weights_all(model, tokens->ids, t.n, t.weights);
    for (size_t h = 0; h < count; h++) t.scores[h] = head_scores(t.weights + h * per_head, tokens->ids, t.n);
    return t;
}

static double score_of(const HeadScores *s, const char *pick) {
    if (strcmp(pick, "previous") == 0) return s->previous_token;
    if (strcmp(pick, "induction") == 0) return s->induction;
    return s->kl_from_uniform;
}

// --pick: the head with the highest score of that kind (the first of equals).
static void pick_head(const Command *command, const HeadTable *t, const char *pick, int *layer, int *head) {
    if (strcmp(pick, "farthest") != 0 && strcmp(pick, "previous") != 0 && strcmp(pick, "induction") != 0)
        usage_error(command, "--pick must be farthest, previous or induction, got '%s'", pick);
    if (option_given(command, "layer") || option_given(command, "head"))
        usage_error(command, "--pick chooses the head: give it without --layer and --head");
    if (strcmp(pick, "induction") == 0 && isnan(t->scores[0].induction))
        usage_error(command, "--pick induction needs a --text in which some token occurs twice");
    int best = 0;
    for (int h = 1; h < t->layers * t->heads; h++)
        if (score_of(&t->scores[h], pick) > score_of(&t->scores[best], pick)) best = h;
    *layer = best / t->heads, *head = best % t->heads;
}

static void draw(const Command *command, const Tokenizer *tokenizer, const TokenSequence *tokens,
                 const HeadTable *t, int layer, int head, const char *out) {
    int n = t->n;
    char **labels = malloc(sizeof(char *) * (size_t)n);
    if (labels == NULL) runtime_error("attention: out of memory for %d labels", n);
    for (int i = 0; i < n; i++) {
        labels[i] = malloc(64);
        if (labels[i] == NULL) runtime_error("attention: out of memory for %d labels", n);
        heatmap_token_label(tokenizer, tokens->ids[i], labels[i], 64);
    }
    char title[96], subtitle[160];
    snprintf(title, sizeof title, "Attention weights: layer %d, head %d", layer, head);
    snprintf(subtitle, sizeof subtitle, "%d token%s; row i is softmax over the keys j \xe2\x89\xa4 i, so it sums to 1", n,
             n == 1 ? "" : "s");
    const float *weights = t->weights + ((size_t)layer * t->heads + head) * (size_t)n * (size_t)n;
    Heatmap map = {.weights = weights, .n = n, .labels = labels, .title = title, .subtitle = subtitle, .causal = true};
    write_picture(command, out, &map);
    fprintf(stderr, "%s: layer %d, head %d, %d token%s\n", out, layer, head, n, n == 1 ? "" : "s");
    for (int i = 0; i < n; i++) free(labels[i]);
    free(labels);
}

// One line per head: how far it is from uniform, and how much it looks at the previous
// token and at the induction target (gpt/pictures/attention_scores.h); * marks the one drawn.
static void print_head_scores(const HeadTable *t, int drawn_layer, int drawn_head) {
    printf("layer head  from uniform  previous token  induction\n");
    for (int l = 0; l < t->layers; l++)
        for (int h = 0; h < t->heads; h++) {
            const HeadScores *s = &t->scores[l * t->heads + h];
            char induction[16] = "-";
            if (!isnan(s->induction)) snprintf(induction, sizeof induction, "%.3f", s->induction);
            printf("%5d %4d  %7.3f nats  %14.3f  %9s%s\n", l, h, s->kl_from_uniform, s->previous_token, induction,
                   l == drawn_layer && h == drawn_head ? "  *" : "");
        }
    printf("from uniform: mean KL(row || uniform) in nats, 0 for even attention, at most %.3f on this text;\n"
           "previous token, induction: mean weight on the token before, on the token after the last earlier "
           "occurrence\n", t->scores[0].kl_most);
}

int attention_command(int argc, char **argv) {
    const char *ckpt = NULL, *text = NULL, *out = "attn.svg", *pick = NULL;
    int layer = 0, head = 0;
    KernelArgs kernels = {0};
    Option options[] = {
        {"ckpt", OPTION_STRING, &ckpt, "checkpoint to read (required)", 0},
        {"text", OPTION_STRING, &text, "the text the model reads (required; the last n_ctx tokens of a longer one)", 0},
        {"layer", OPTION_INT, &layer, "decoder block, from 0 (blocks.0) to n_layers - 1", 0},
        {"head", OPTION_INT, &head, "attention head of that block, from 0 to n_heads - 1", 0},
        {"pick", OPTION_STRING, &pick, "instead of --layer and --head, draw the head that scores highest: farthest\n"
                                       "      (from uniform), previous (token) or induction", 0},
        {"out", OPTION_STRING, &out, "the picture: .svg, or .pgm for a plain greyscale image", 0},
        {"threads", OPTION_INT, &kernels.threads, THREADS_HELP, 0},
        {"reference-kernels", OPTION_FLAG, &kernels.reference_kernels, REFERENCE_KERNELS_HELP, 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"attention", "Draws the attention weights of one head on a text as a heatmap.",
                       "attention --ckpt CKPT --text TEXT [--layer L --head H | --pick KIND] [--out attn.svg]", options};
    parse_options(&command, argc, argv);
    apply_kernel_args_or_exit(&command, &kernels);
    if (!ends_with_text(out, ".svg") && !ends_with_text(out, ".pgm"))
        usage_error(&command, "--out must name an .svg or a .pgm file, got '%s'", out);
    Tokenizer tokenizer;
    Gpt *model = load_checkpoint_or_exit(&command, ckpt, &tokenizer, NULL);
    check_layer_and_head(&command, &model->config, layer, head);
    TokenSequence tokens = text_tokens(&command, &tokenizer, text, model->config.n_ctx);
    check_step_memory_or_exit(&command, &model->config, 1, tokens.n, false);
    HeadTable table = measure_heads(model, &tokens);
    if (pick != NULL) pick_head(&command, &table, pick, &layer, &head);
    draw(&command, &tokenizer, &tokens, &table, layer, head, out);
    print_head_scores(&table, layer, head);
    free(table.weights);
    free(table.scores);
    free(tokens.ids);
    gpt_free(model);
    tokenizer_free(&tokenizer);
    return 0;
}
