#include "gpt/task_inputs.h"

#include <string.h>

TaskTokens task_tokens(const Tokenizer *tokenizer) {
    return (TaskTokens){task_token_id(tokenizer, TOKEN_START), task_token_id(tokenizer, TOKEN_DELIMITER),
                        task_token_id(tokenizer, TOKEN_EXTRACT)};
}

void fit_fields(TokenSpan *fields, int n_fields, int budget) {
    int total = 0;
    for (int i = 0; i < n_fields; i++) total += fields[i].n;
    while (total > budget && total > 0) {
        int longest = 0;
        for (int i = 1; i < n_fields; i++)
            if (fields[i].n > fields[longest].n) longest = i;
        fields[longest].n--;
        total--;
    }
}

static int append(int *out, int at, TokenSpan span) {
    memcpy(out + at, span.ids, sizeof(int) * (size_t)span.n);
    return at + span.n;
}

// Eq: Classification:  <s> text <e>
int classification_input(TaskTokens t, TokenSpan text, int n_ctx, int *out) {
    fit_fields(&text, 1, n_ctx - 2);
    int n = 0;
    out[n++] = t.start;
    n = append(out, n, text);
    out[n++] = t.extract;
    return n;
}

// Eq: Entailment:  <s> premise $ hypothesis <e>
int entailment_input(TaskTokens t, TokenSpan premise, TokenSpan hypothesis, int n_ctx, int *out) {
    TokenSpan fields[2] = {premise, hypothesis};
    fit_fields(fields, 2, n_ctx - 3);
    int n = 0;
    out[n++] = t.start;
    n = append(out, n, fields[0]);
    out[n++] = t.delimiter;
    n = append(out, n, fields[1]);
    out[n++] = t.extract;
    return n;
}

// Eq: Similarity:  <s> A $ B <e>  and  <s> B $ A <e>
// (the pair has no order, so both are read)
int similarity_inputs(TaskTokens t, TokenSpan a, TokenSpan b, int n_ctx, int *out_ab, int *out_ba) {
    TokenSpan fields[2] = {a, b};
    fit_fields(fields, 2, n_ctx - 3);  // the same truncation in both orders
    entailment_input(t, fields[1], fields[0], n_ctx, out_ba);
    return entailment_input(t, fields[0], fields[1], n_ctx, out_ab);
}

// Eq: Multiple choice:  <s> context $ option_k <e>  for each option k
// (each sequence is scored on its own)
void multiple_choice_inputs(TaskTokens t, TokenSpan context, const TokenSpan *options, int n_options, int n_ctx,
                            int *out, int *lengths) {
    for (int k = 0; k < n_options; k++)
        lengths[k] = entailment_input(t, context, options[k], n_ctx, out + (long)k * n_ctx);
}
