// Exercise 06, a known wrong solution: it cuts the longest field from its front, dropping its beginning instead of its end.
// Replaces: gpt/task_inputs.c entailment_input
#include <string.h>

#include "gpt/task_inputs.h"

int entailment_input(TaskTokens t, TokenSpan premise, TokenSpan hypothesis, int n_ctx, int *out) {
    while (premise.n + hypothesis.n > n_ctx - 3) {
        TokenSpan *longest = hypothesis.n > premise.n ? &hypothesis : &premise;
        longest->ids++;
        longest->n--;
    }
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
