// Exercise 06, a known wrong solution: it never truncates, so long fields overflow n_ctx.
// Replaces: gpt/task_inputs.c entailment_input
#include <string.h>

#include "gpt/task_inputs.h"

int entailment_input(TaskTokens t, TokenSpan premise, TokenSpan hypothesis, int n_ctx, int *out) {
    (void)n_ctx;
    int n = 0;
    out[n++] = t.start;
    memcpy(out + n, premise.ids, sizeof(int) * (size_t)premise.n);
    n += premise.n;
    out[n++] = t.delimiter;
    memcpy(out + n, hypothesis.ids, sizeof(int) * (size_t)hypothesis.n);
    n += hypothesis.n;
    out[n++] = t.extract;
    return n;
}
