// Figure 2 (left) of the paper: how much of the pre-trained model is worth keeping?
// Fine-tuning starts from the embeddings and the first n decoder blocks of the
// pre-trained model; blocks n to n_layers − 1 start again from fresh initial values.
// n = 0 keeps only the embeddings; n = n_layers keeps everything (plain fine-tuning).
#ifndef GPT1_TRANSFER_H
#define GPT1_TRANSFER_H

#include <stdint.h>

#include "gpt/model.h"

// Gives every parameter of blocks first_block and above its initial value again, as
// gpt_init_weights_as does (weights N(0, 0.02²) or N(0, 1/fan_in) by scale, biases 0,
// LayerNorm gains 1), from its own generator seeded with seed. Other parameters
// (embeddings, earlier blocks, the task head) are left as they are.
void reinitialize_blocks_from(Gpt *model, int first_block, uint64_t seed, WeightScale scale);

#endif
