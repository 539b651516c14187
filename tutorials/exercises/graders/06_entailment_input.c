// Grader of exercise 06: entailment_input on exact sequences, with and without
// truncation (the premise longer, the hypothesis longer, every token distinct so that
// a field cut at the wrong end shows), and its length. Each check runs in a child
// process (grade_run): a crash fails that check only.
#include <stdio.h>
#include <string.h>

#include "gpt/task_inputs.h"
#include "tutorials/exercises/graders/grade.h"

static const TaskTokens TOKENS = {.start = 5, .delimiter = 6, .extract = 7};
enum { ROOM = 64 };

typedef struct EntailmentCase {
    const char *what, *hint;
    TokenSpan premise, hypothesis;
    int n_ctx;
    const int *expected;
    int n;
} EntailmentCase;

static void entailment_case(void *context) {
    const EntailmentCase *c = context;
    int out[ROOM];
    for (int i = 0; i < ROOM; i++) out[i] = -1;
    int length = entailment_input(TOKENS, c->premise, c->hypothesis, c->n_ctx, out);
    char line[192];
    snprintf(line, sizeof line, "%s: returns the length %d", c->what, c->n);
    if (!grade_true(length == c->n, line)) {
        printf("        (it returned %d)\n", length);
        if (c->hint && length != 0) grade_hint(c->hint);
        return;
    }
    float got[ROOM], want[ROOM];
    for (int i = 0; i < c->n; i++) got[i] = (float)out[i], want[i] = (float)c->expected[i];
    snprintf(line, sizeof line, "%s: the token ids", c->what);
    if (!grade_close(line, got, want, c->n, 0.0f) && c->hint) grade_hint(c->hint);
    bool untouched = true;
    for (int i = c->n; i < ROOM; i++) untouched &= out[i] == -1;
    snprintf(line, sizeof line, "%s: nothing written after the sequence", c->what);
    grade_true(untouched, line);
}

int main(void) {
    grade_begin("exercise 06, entailment_input");
    const char *crashed = "do you write more than n_ctx ids into out, or copy a field of negative length?";
    static const int a[] = {1, 2, 3}, b[] = {4, 0};
    static const int plain[] = {5, 1, 2, 3, 6, 4, 0, 7}, empty[] = {5, 6, 4, 0, 7};
    // Every token distinct, so that a field cut at the wrong end shows.
    static const int p6[] = {11, 12, 13, 14, 15, 16}, h3[] = {21, 22, 23}, p3[] = {11, 12, 13};
    static const int h4[] = {21, 22, 23, 24};
    // n_ctx 8 leaves 5 tokens for the fields: 6 + 3 becomes 2 + 3 (the longer field
    // shrinks from its end; once they are equally long the first one gives way).
    static const int premise_cut[] = {5, 11, 12, 6, 21, 22, 23, 7};
    // n_ctx 9 leaves 6: 3 + 4 becomes 3 + 3, the hypothesis is the longer field.
    static const int hypothesis_cut[] = {5, 11, 12, 13, 6, 21, 22, 23, 7};
    const char *rule = "fit_fields(fields, 2, n_ctx − 3) on copies of both spans: the longest field loses its LAST "
                       "token, one at a time, then copy what is left";
    EntailmentCase cases[] = {
        {"<s> 1 2 3 $ 4 0 <e>", NULL, {a, 3}, {b, 2}, 16, plain, 8},
        {"an empty premise", NULL, {a, 0}, {b, 2}, 16, empty, 5},
        {"the premise longer, n_ctx = 8", rule, {p6, 6}, {h3, 3}, 8, premise_cut, 8},
        {"the hypothesis longer, n_ctx = 9", rule, {p3, 3}, {h4, 4}, 9, hypothesis_cut, 9},
        {"exactly n_ctx = 8, nothing cut", NULL, {a, 3}, {b, 2}, 8, plain, 8},
    };
    for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++)
        grade_run(cases[i].what, crashed, entailment_case, &cases[i]);
    return grade_end();
}
