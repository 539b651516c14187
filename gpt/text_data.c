#include "gpt/text_data.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void split_tokens(const TokenSequence *all, float val_fraction, TokenSequence *train, TokenSequence *val) {
    long n_val = (long)((double)all->n * val_fraction);
    train->ids = all->ids;
    train->n = all->n - n_val;
    val->ids = all->ids + train->n;
    val->n = n_val;
}

Batch batch_create(int batch, int seq) {
    Batch b = {.batch = batch, .seq = seq};
    b.inputs = malloc(sizeof(int) * (size_t)batch * (size_t)seq);
    b.targets = malloc(sizeof(int) * (size_t)batch * (size_t)seq);
    if (b.inputs == NULL || b.targets == NULL) {
        fprintf(stderr, "batch_create: out of memory\n");
        abort();
    }
    return b;
}

void batch_free(Batch *b) {
    free(b->inputs);
    free(b->targets);
    b->inputs = b->targets = NULL;
}

void batch_sample(Batch *b, const TokenSequence *data, Rng *rng) {
    long starts = data->n - b->seq;  // a window of seq + 1 ids starts in [0, n − seq − 1]
    for (int i = 0; i < b->batch; i++) {
        long start = (long)(rng_next(rng) % (uint64_t)starts);  // the modulo's bias is below 2^-30
        memcpy(b->inputs + (long)i * b->seq, data->ids + start, sizeof(int) * (size_t)b->seq);
        memcpy(b->targets + (long)i * b->seq, data->ids + start + 1, sizeof(int) * (size_t)b->seq);
    }
}
