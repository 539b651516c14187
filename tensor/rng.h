// The project's one pseudo-random number generator (SplitMix64). Every random
// number in gpt1.c (initial weights, dropout masks, batches, sampling) comes from
// an Rng seeded by the user, so the same seed gives the same numbers, bit for bit,
// on every platform. The state is a single integer, which a checkpoint can store.
#ifndef GPT1_RNG_H
#define GPT1_RNG_H

#include <stdint.h>

typedef struct Rng {
    uint64_t state;
} Rng;

void rng_seed(Rng *rng, uint64_t seed);
uint64_t rng_next(Rng *rng);                        // 64 uniformly random bits
float rng_uniform(Rng *rng);                        // in [0, 1)
int rng_below(Rng *rng, int n);                     // in [0, n), n > 0
float rng_normal(Rng *rng, float mean, float std);  // N(mean, std^2)

#endif
