// Section 5 of the paper, "Zero-shot behaviors": a pre-trained language model does
// tasks it was never fine-tuned on, through heuristics that only ask it how likely a
// text is. The paper used them to show that pre-training learns useful functions
// (Figure 2, right: their accuracy grows with the pre-training steps).
//
//   sentiment (SST-2)          append the word "very" to the text, and compare the
//                              model's probabilities of " positive" and " negative" next
//   multiple choice (Story     the option with the highest average log-probability per
//   Cloze, RACE)               token, given the context
//   acceptability (CoLA)       the sentence's average log-probability per token, against
//                              a threshold
//
// All of them are built on one function, the log-probability of a continuation.
// Dropout is off and no gradients are kept.
#ifndef GPT1_ZEROSHOT_H
#define GPT1_ZEROSHOT_H

#include "gpt/model.h"

// log P(continuation | context), summed over the continuation's tokens; *n_scored gets
// how many tokens were scored. The model reads at most n_ctx tokens: the context loses
// its first tokens when both do not fit, and a continuation longer than n_ctx − 1 is
// scored on its first n_ctx − 1 tokens. With no context the first token is not scored.
double continuation_log_prob(Gpt *model, const int *context, int n_context, const int *continuation,
                             int n_continuation, int *n_scored);
// The mean per token of the same: the score of choice and acceptability.
double mean_log_prob(Gpt *model, const int *context, int n_context, const int *continuation, int n_continuation);

// Sentiment: 1 when log P(positive | text + very) > log P(negative | text + very).
// text_very is the text with " very" appended, already encoded.
int sentiment_guess(Gpt *model, const int *text_very, int n, const int *positive, int n_positive,
                    const int *negative, int n_negative);

#endif
