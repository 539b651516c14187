// Grader of exercise 06: entailment_input on exact sequences, with and without
// truncation, and its length.
#include <stdio.h>
#include <string.h>

#include "gpt/task_inputs.h"
#include "tutorials/exercises/graders/grade.h"

static const TaskTokens TOKENS = {.start = 5, .delimiter = 6, .extract = 7};

static void expect(const char *what, TokenSpan premise, TokenSpan hypothesis, int n_ctx, const int *expected, int n) {
    int out[64];
    for (int i = 0; i < 64; i++) out[i] = -1;
    int length = entailment_input(TOKENS, premise, hypothesis, n_ctx, out);
    char line[160];
    snprintf(line, sizeof line, "%s: returns the length %d", what, n);
    if (!grade_true(length == n, line)) {
        printf("        (it returned %d)\n", length);
        return;
    }
    float got[64], want[64];
    for (int i = 0; i < n; i++) got[i] = (float)out[i], want[i] = (float)expected[i];
    snprintf(line, sizeof line, "%s: the token ids", what);
    grade_close(line, got, want, n, 0.0f);
}

int main(void) {
    grade_begin("exercise 06, entailment_input");
    int a[] = {1, 2, 3}, b[] = {4, 0};
    int plain[] = {5, 1, 2, 3, 6, 4, 0, 7};
    expect("<s> 1 2 3 $ 4 0 <e>", (TokenSpan){a, 3}, (TokenSpan){b, 2}, 16, plain, 8);
    int empty[] = {5, 6, 4, 0, 7};
    expect("an empty premise", (TokenSpan){a, 0}, (TokenSpan){b, 2}, 16, empty, 5);
    // n_ctx 8 leaves 5 tokens for the fields: 6 + 3 becomes 2 + 3 (the longer field
    // shrinks from its end; once they are equally long the first one gives way).
    int longer[] = {1, 1, 1, 1, 1, 1}, shorter[] = {2, 2, 2};
    int cut[] = {5, 1, 1, 6, 2, 2, 2, 7};
    expect("truncated to n_ctx = 8", (TokenSpan){longer, 6}, (TokenSpan){shorter, 3}, 8, cut, 8);
    int exact[] = {5, 1, 2, 3, 6, 4, 0, 7};
    expect("exactly n_ctx = 8, nothing cut", (TokenSpan){a, 3}, (TokenSpan){b, 2}, 8, exact, 8);
    return grade_end();
}
