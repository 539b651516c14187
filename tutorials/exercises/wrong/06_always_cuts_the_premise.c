// Exercise 06, a known wrong solution: it always shortens the premise, even when the hypothesis is the longer field.
// Replaces: gpt/task_inputs.c entailment_input
#include <string.h>

#include "gpt/task_inputs.h"

int entailment_input(TaskTokens t, TokenSpan premise, TokenSpan hypothesis, int n_ctx, int *out) {
    int excess = premise.n + hypothesis.n - (n_ctx - 3);
    if (excess > 0) premise.n = excess < premise.n ? premise.n - excess : 0;
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
