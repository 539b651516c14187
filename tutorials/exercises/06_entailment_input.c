// Exercise 06: the input transformation for entailment.
// Replaces: gpt/task_inputs.c entailment_input
//
// Grade your answer with `make exercise N=06`; docs/exercises.md explains the rules.
// The solution is the library's own code: do not look at gpt/task_inputs.c until you pass.
//
// Write the sequence   <s> premise $ hypothesis <e>   into out and return its length.
// t.start, t.delimiter and t.extract are the ids of <s>, $ and <e>; a TokenSpan is
// {ids, n}: n token ids. out has room for n_ctx ids.
//
// The sequence must fit in n_ctx: when premise and hypothesis together have more than
// n_ctx − 3 tokens, shorten them first with fit_fields (gpt/task_inputs.h), which cuts
// the longest field from its end. Work on copies: fit_fields changes the spans it is
// given (their n), never the tokens. The three task tokens are never cut.
#include <string.h>

#include "gpt/task_inputs.h"

int entailment_input(TaskTokens t, TokenSpan premise, TokenSpan hypothesis, int n_ctx, int *out) {
    // TODO: your code here. Delete the lines below when you write it.
    (void)t, (void)premise, (void)hypothesis, (void)n_ctx, (void)out;
    return 0;
}
