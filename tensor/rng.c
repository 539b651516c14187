#include "tensor/rng.h"

#include <math.h>

void rng_seed(Rng *rng, uint64_t seed) { rng->state = seed; }

// SplitMix64 (Steele, Lea, Flood 2014): a counter passed through a mixing function.
uint64_t rng_next(Rng *rng) {
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The top 24 bits make a float in [0, 1) with every value equally likely.
float rng_uniform(Rng *rng) { return (float)(rng_next(rng) >> 40) * (1.0f / 16777216.0f); }

// Multiply-shift maps 32 random bits onto [0, n) without a modulo's slow division.
int rng_below(Rng *rng, int n) { return (int)(((rng_next(rng) >> 32) * (uint64_t)n) >> 32); }

// Box-Muller in double precision; u1 is in (0, 1] so the logarithm is finite.
float rng_normal(Rng *rng, float mean, float std) {
    double u1 = 1.0 - (double)(rng_next(rng) >> 11) * 0x1.0p-53;
    double u2 = (double)(rng_next(rng) >> 11) * 0x1.0p-53;
    double z = sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
    return mean + std * (float)z;
}
