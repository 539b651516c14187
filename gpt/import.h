// Importing GPT-1's released weights (or any model in the same formats) as a gpt1.c
// model and tokenizer. Two kinds of folder are recognised:
//
//   the original release (openai/finetune-transformer-lm, model/): params_shapes.json,
//       params_0.npy ... params_9.npy (float32 pieces of one flat vector, split at the
//       sizes of the shapes: positions, tokens, then 12 arrays per block, weights
//       [1, in, out]), encoder_bpe_40000.json and vocab_40000.bpe;
//   Hugging Face (openai-community/openai-gpt): model.safetensors (tokens_embed,
//       positions_embed, h.L.*, with or without "transformer."; the attention-mask
//       buffers are ignored and a tied lm_head.weight must equal tokens_embed),
//       config.json, and vocab.json + merges.txt (or a tokenizer that gpt export wrote).
//
// The configuration comes from the shapes (layers, width, d_ff, context, vocabulary);
// the heads from config.json, or from ImportOptions.heads (12 in the release). Every
// file is checked before the model is allocated, and every problem is one line naming
// the file and the field.
#ifndef GPT1_IMPORT_H
#define GPT1_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gpt/model.h"
#include "gpt/tokenizer/tokenizer.h"

typedef enum { IMPORT_RELEASE, IMPORT_HUGGING_FACE } ImportFormat;

typedef struct ImportOptions {
    int heads;        // 0: config.json's, or 12 for the release
    uint64_t seed;    // of the dropout masks of a later fine-tuning
} ImportOptions;

typedef struct ImportReport {
    ImportFormat format;
    int n_files;      // shards read (release), or 1
    int n_arrays;     // arrays copied into the model
    int n_ignored;    // mask buffers (Hugging Face)
    bool tied_head_checked;  // lm_head.weight was there and equal to the token embedding
} ImportReport;

// Sizes beyond these are refused before anything is allocated.
enum { IMPORT_MAX_LAYERS = 1000, IMPORT_MAX_WIDTH = 65536, IMPORT_MAX_CONTEXT = 65536 };
#define IMPORT_MAX_PARAMETERS ((long)1 << 31)

Gpt *gpt_import(const char *dir, const ImportOptions *options, Tokenizer *tokenizer, ImportReport *report,
                char *error, size_t error_len);

#endif
