#include "tensor/kernels.h"

// Inverted dropout: survivors are scaled by 1/(1−p) during training so that the
// expected value of every activation is unchanged and evaluation needs no rescaling.
void dropout_mask(float *mask, long n, float p, Rng *rng) {
    float keep_scale = 1.0f / (1.0f - p);
    for (long i = 0; i < n; i++) mask[i] = rng_uniform(rng) < p ? 0.0f : keep_scale;
}
