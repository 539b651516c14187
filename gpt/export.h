// Exporting a gpt1.c language model as a Hugging Face-style folder, so that a model
// trained here moves to PyTorch tools:
//
//   model.safetensors   tokens_embed.weight, positions_embed.weight, h.L.* (OpenAIGPTModel's
//                       names; weights [in, out] as its Conv1D keeps them; the output layer
//                       is tied, so there is no lm_head.weight)
//   config.json         openai-gpt's fields, and "gpt1c_tokenizer"
//   vocab.json, merges.txt   for a model with GPT-1's tokenizer; vocab.bpe (bpe) or
//                       chars.txt (chars) for the project's own tokenizers
//
// gpt import reads the folder back, weights bit for bit. The language model of a
// fine-tuned checkpoint (its vocabulary holds the task tokens) is not exported:
// Hugging Face's heads and special tokens are laid out differently.
#ifndef GPT1_EXPORT_H
#define GPT1_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/model.h"
#include "gpt/tokenizer/tokenizer.h"

// Writes the folder dir (made when missing); every file through DIR/NAME.tmp.
bool gpt_export(const char *dir, const Gpt *model, const Tokenizer *tokenizer, char *error, size_t error_len);

#endif
