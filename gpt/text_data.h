// Pre-training data: a text file as one long sequence of token ids, split by
// position into training and validation parts, and random windows drawn from it.
#ifndef GPT1_TEXT_DATA_H
#define GPT1_TEXT_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/tokenizer/tokenizer.h"
#include "tensor/rng.h"

typedef struct TokenSequence {
    int *ids;
    long n;
} TokenSequence;

// The first (1 − val_fraction) of the ids for training, the rest for validation.
void split_tokens(const TokenSequence *all, float val_fraction, TokenSequence *train, TokenSequence *val);

// A batch for next-token prediction: B windows of T + 1 consecutive ids at random
// starts; inputs are the first T ids of each window, targets the last T (shifted by one).
typedef struct Batch {
    int batch, seq;
    int *inputs;   // [batch, seq]
    int *targets;  // [batch, seq]
} Batch;

Batch batch_create(int batch, int seq);
void batch_free(Batch *b);
void batch_sample(Batch *b, const TokenSequence *data, Rng *rng);  // needs data->n >= seq + 1

#endif
