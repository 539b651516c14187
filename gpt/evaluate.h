// Evaluation of a language model: the mean next-token cross-entropy, in nats.
#ifndef GPT1_EVALUATE_H
#define GPT1_EVALUATE_H

#include "gpt/model.h"
#include "gpt/text_data.h"

// The data is cut into consecutive, non-overlapping windows of n_ctx + 1 tokens;
// in each window the model reads the first n_ctx tokens and predicts the next token
// at every position, so a window scores n_ctx predictions. The tail that remains
// (fewer than n_ctx + 1 tokens) is one last, shorter window when it holds at least
// two tokens; a single leftover token is not scored. The result is the mean over
// every scored prediction (not a mean of window means). max_windows > 0 stops after
// that many windows. Dropout is off. Returns the mean; n_scored gets the count.
double evaluate_lm_loss(Gpt *model, const TokenSequence *data, int batch, long max_windows, long *n_scored);
// The windows evaluate_lm_loss scores in n_tokens tokens: its largest batch is the
// smaller of this and `batch`.
long evaluation_windows(long n_tokens, int n_ctx);

#endif
