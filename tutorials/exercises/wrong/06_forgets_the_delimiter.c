// Exercise 06, a known wrong solution: it leaves room for two task tokens (n_ctx − 2), forgetting the delimiter.
// Replaces: gpt/task_inputs.c entailment_input
#include <string.h>

#include "gpt/task_inputs.h"

int entailment_input(TaskTokens t, TokenSpan premise, TokenSpan hypothesis, int n_ctx, int *out) {
    TokenSpan fields[2] = {premise, hypothesis};
    fit_fields(fields, 2, n_ctx - 2);
    premise = fields[0], hypothesis = fields[1];
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
