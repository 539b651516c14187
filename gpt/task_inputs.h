// The input transformations of the paper's section 3.3 (Figure 1, right). Every
// task becomes token sequences that the pre-trained model reads left to right,
// framed by three task tokens: start <s>, delimiter $ and extract <e>. The final
// hidden state at <e> is what the task head reads.
#ifndef GPT1_TASK_INPUTS_H
#define GPT1_TASK_INPUTS_H

#include "gpt/tasks/encoded_example.h"
#include "gpt/tokenizer/tokenizer.h"

typedef struct TaskTokens {
    int start, delimiter, extract;  // <s>, $, <e>
} TaskTokens;

TaskTokens task_tokens(const Tokenizer *tokenizer);  // the tokenizer must have its task tokens

// Truncation: while the fields together exceed `budget` tokens, the longest field
// (the first of equally long ones) loses its last token. Short fields stay whole and
// every field keeps its beginning.
void fit_fields(TokenSpan *fields, int n_fields, int budget);

// Each writes one sequence into out (room for n_ctx ids) and returns its length.
int classification_input(TaskTokens t, TokenSpan text, int n_ctx, int *out);
int entailment_input(TaskTokens t, TokenSpan premise, TokenSpan hypothesis, int n_ctx, int *out);
// Two sequences, both orders of the pair; both have the returned length.
int similarity_inputs(TaskTokens t, TokenSpan a, TokenSpan b, int n_ctx, int *out_ab, int *out_ba);
// One sequence per option, option k at out + k·n_ctx; lengths[k] gets its length.
void multiple_choice_inputs(TaskTokens t, TokenSpan context, const TokenSpan *options, int n_options, int n_ctx,
                            int *out, int *lengths);

#endif
