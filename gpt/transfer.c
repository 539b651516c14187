#include "gpt/transfer.h"

#include <stdlib.h>
#include <string.h>

// The block a parameter belongs to ("blocks.3.mlp.c_fc.weight" -> 3), or -1.
static int block_of(const char *name) {
    if (strncmp(name, "blocks.", 7) != 0) return -1;
    return (int)strtol(name + 7, NULL, 10);
}

void reinitialize_blocks_from(Gpt *model, int first_block, uint64_t seed, WeightScale scale) {
    Rng rng;
    rng_seed(&rng, seed);
    for (int i = 0; i < model->params.count; i++) {
        Parameter *p = model->params.items[i];
        if (block_of(p->tensor.name) < first_block) continue;
        for (long j = 0; j < p->tensor.size; j++)
            p->tensor.data[j] = p->init == INIT_NORMAL ? rng_normal(&rng, 0.0f, weight_init_std(&p->tensor, scale))
                                : p->init == INIT_ONES ? 1.0f : 0.0f;
    }
}
