// GPT-1's parameters under three names: gpt1.c's table (nn/parameters.h), the original
// release's order of arrays (params_shapes.json), and Hugging Face's state dict
// (OpenAIGPTModel: tokens_embed, positions_embed, h.L.attn.c_attn, ...). Every weight
// has the same layout in all three, [in, out] (y = x·W + b); only the release's
// weights carry a leading 1: [1, in, out].
#ifndef GPT1_GPT1_NAMES_H
#define GPT1_GPT1_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gpt/config.h"

enum { BLOCK_ARRAYS = 12 };  // parameters per decoder block

// The release's arrays in order: 0 positions, 1 tokens, then 12 per block.
int release_array_count(int n_layers);
// The gpt1.c name of release array `index` and its shape in the release (the leading 1
// of the weights included); false when index is out of range.
bool release_array(const GptConfig *config, int index, char *name, size_t name_size, int64_t *shape, int *ndim);

// Hugging Face name -> gpt1.c name: "tokens_embed.weight" -> "wte.weight",
// "h.3.mlp.c_fc.bias" -> "blocks.3.mlp.c_fc.bias" (a "transformer." prefix is
// dropped). False for any other name; *index gets its place in the release's order.
bool hf_to_gpt1_name(const char *hf, char *name, size_t name_size, int *index);
// gpt1.c name -> Hugging Face name (without the "transformer." prefix).
void gpt1_to_hf_name(const char *name, char *hf, size_t hf_size);
// Hugging Face buffers that are not parameters: h.L.attn.bias (the causal mask) and
// h.L.attn.masked_bias.
bool hf_is_mask_buffer(const char *hf);

#endif
