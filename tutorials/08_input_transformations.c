// Tutorial 08: the four input transformations of the paper's section 3.3, printed
// token by token; truncation; a padded batch. Read tutorials/08_input_transformations.md
// alongside; run with build/tutorials/08_input_transformations.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=08 V=<name>` (`make tutorials` runs them all):
// Try: ctx8 -DTRY_CTX8
#include <stdlib.h>
#include <string.h>

#include "gpt/task_batch.h"
#include "gpt/task_inputs.h"
#include "tensor/kernels.h"
#include "tutorials/tutorial.h"

enum { N_CTX = 64, MAX_IDS = 64 };
#ifdef TRY_CTX8
enum { SHORT_CTX = 8 };  // Try this: section 5 with room for 5 field tokens
#else
enum { SHORT_CTX = 12 };  // section 5: room for 9 field tokens
#endif

static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyz .,?";

typedef struct Field {
    int ids[MAX_IDS];
    TokenSpan span;
} Field;

static Field *field(const Tokenizer *tokenizer, const char *text) {
    Field *f = calloc(1, sizeof *f);
    char error[128];
    long n;
    int *ids = tokenizer_encode(tokenizer, text, strlen(text), &n, error, sizeof error);
    memcpy(f->ids, ids, sizeof(int) * (size_t)n);
    free(ids);
    f->span = (TokenSpan){f->ids, (int)n};
    return f;
}

// One line of tokens, and under each its id; a space shows as ␣.
static void print_sequence(const Tokenizer *tokenizer, const char *title, const int *ids, int n) {
    printf("  %s (%d tokens)\n   ", title, n);
    for (int i = 0; i < n; i++) {
        char label[32];
        tokenizer_token_label(tokenizer, ids[i], label, sizeof label);
        if (strcmp(label, " ") == 0)
            printf("   ␣");  // one column wide, three bytes long: %3s would count bytes
        else
            printf(" %3s", label);
    }
    printf("\n   ");
    for (int i = 0; i < n; i++) printf(" %3d", ids[i]);
    printf("\n");
}

static bool framed(TaskTokens t, const int *ids, int n, int delimiters) {
    int found = 0;
    for (int i = 0; i < n; i++) found += ids[i] == t.delimiter;
    return ids[0] == t.start && ids[n - 1] == t.extract && found == delimiters;
}

static void the_four(const Tokenizer *tok) {
    TaskTokens t = task_tokens(tok);
    int out[N_CTX], out2[N_CTX], options_out[3 * N_CTX], lengths[3];

    section("1. Classification: <s> text <e>");
    Field *text = field(tok, "what a fine day");
    int n = classification_input(t, text->span, N_CTX, out);
    print_sequence(tok, "classification_input", out, n);
    claim(framed(t, out, n, 0) && n == text->span.n + 2, "the text between <s> and <e>");

    section("2. Entailment: <s> premise $ hypothesis <e>");
    Field *premise = field(tok, "it rains"), *hypothesis = field(tok, "the road is wet");
    n = entailment_input(t, premise->span, hypothesis->span, N_CTX, out);
    print_sequence(tok, "entailment_input", out, n);
    claim(framed(t, out, n, 1), "premise and hypothesis joined by one delimiter $");

    section("3. Similarity: both orders, <s> A $ B <e> and <s> B $ A <e>");
    Field *a = field(tok, "a cat sat"), *b = field(tok, "the cat sat down");
    n = similarity_inputs(t, a->span, b->span, N_CTX, out, out2);
    print_sequence(tok, "similarity_inputs, order A B", out, n);
    print_sequence(tok, "similarity_inputs, order B A", out2, n);
    claim(framed(t, out, n, 1) && framed(t, out2, n, 1) && out[1] != out2[1], "two sequences, the pair in each order");

    section("4. Multiple choice: <s> context $ answer_k <e>, one sequence per answer");
    Field *context = field(tok, "the sky is"), *answers[3] = {field(tok, "blue"), field(tok, "loud"), field(tok, "sour")};
    TokenSpan spans[3] = {answers[0]->span, answers[1]->span, answers[2]->span};
    multiple_choice_inputs(t, context->span, spans, 3, N_CTX, options_out, lengths);
    bool all_framed = true;
    for (int k = 0; k < 3; k++) {
        char title[32];
        snprintf(title, sizeof title, "answer %d", k + 1);
        print_sequence(tok, title, options_out + k * N_CTX, lengths[k]);
        all_framed &= framed(t, options_out + k * N_CTX, lengths[k], 1);
    }
    claim(all_framed, "each answer gets its own sequence with the whole context");

    section("5. Truncation: when the fields do not fit n_ctx");
    n = entailment_input(t, premise->span, hypothesis->span, SHORT_CTX, out);
    char title[64];
    snprintf(title, sizeof title, "entailment_input with n_ctx = %d", SHORT_CTX);
    print_sequence(tok, title, out, n);
    claim(n == SHORT_CTX && framed(t, out, n, 1), "the longest field loses tokens from its end; <s>, $ and <e> stay");
    int kept_premise = 0;
    while (out[1 + kept_premise] != t.delimiter) kept_premise++;
    int kept_hypothesis = n - 3 - kept_premise;
    printf("  kept: %d of the premise's %d tokens, %d of the hypothesis's %d\n", kept_premise, premise->span.n,
           kept_hypothesis, hypothesis->span.n);
    bool beginnings = memcmp(out + 1, premise->ids, sizeof(int) * (size_t)kept_premise) == 0 &&
                      memcmp(out + 2 + kept_premise, hypothesis->ids, sizeof(int) * (size_t)kept_hypothesis) == 0;
    claim(beginnings && abs(kept_premise - kept_hypothesis) <= 1,
          "each field keeps its beginning, and the two end up as long as each other, give or take one");

    free(text), free(premise), free(hypothesis), free(a), free(b), free(context);
    for (int k = 0; k < 3; k++) free(answers[k]);
}

static void print_row(const char *title, const int *values, int n) {
    printf("  %-12s", title);
    for (int j = 0; j < n; j++) printf(" %3d", values[j]);
    printf("\n");
}

// Two entailment examples of different lengths in one batch.
static void a_batch(const Tokenizer *tok) {
    section("6. A batch: padding, LM targets and the extract rows");
    Field *p1 = field(tok, "it rains"), *h1 = field(tok, "it is wet"), *p2 = field(tok, "no"), *h2 = field(tok, "yes");
    EncodedExample examples[2] = {{.n_fields = 2, .fields = {p1->span, h1->span}, .label = 0},
                                  {.n_fields = 2, .fields = {p2->span, h2->span}, .label = 1}};
    TaskBatch batch;
    task_batch_init(&batch, TASK_ENTAIL, 2, N_CTX);
    task_batch_fill(&batch, task_tokens(tok), examples, 2);
    for (int s = 0; s < batch.n_sequences; s++) {
        printf("  sequence %d, %d real tokens, padded to %d; <e> at flattened row %d\n", s, batch.lengths[s], batch.seq,
               batch.extract_rows[s]);
        print_row("tokens", batch.tokens + s * batch.seq, batch.seq);
        print_row("lm_targets", batch.lm_targets + s * batch.seq, batch.seq);
    }
    int last = 1 * batch.seq + batch.lengths[1] - 1;
    claim(batch.extract_rows[1] == last && batch.tokens[last] == task_tokens(tok).extract,
          "the extract row points at <e>, the last real token");
    claim(batch.lm_targets[last] == CROSS_ENTROPY_IGNORE && batch.lm_targets[batch.seq - 1] == CROSS_ENTROPY_IGNORE,
          "padding and <e> have no LM target (-1)");
    task_batch_free(&batch);
    free(p1), free(h1), free(p2), free(h2);
}

int main(void) {
    Tokenizer tokenizer;
    tokenizer_init_chars(&tokenizer, ALPHABET, strlen(ALPHABET));
    tokenizer.n_task_tokens = N_TASK_TOKENS;  // what fine-tuning adds: <s>, $ and <e>
    printf("a vocabulary of %d characters and %d task tokens\n", tokenizer.n_text_tokens, tokenizer.n_task_tokens);
    the_four(&tokenizer);
    a_batch(&tokenizer);
    tokenizer_free(&tokenizer);
    return tutorial_end();
}
