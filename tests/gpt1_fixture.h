// Small files in the formats of GPT-1's distributions, written by the tests themselves:
// a vocabulary of 95 tokens and 15 merges, and random models as the original release
// (params_shapes.json and .npy shards) or as a Hugging Face folder (model.safetensors,
// config.json). The writers here spell the formats out by hand (names, orders, shapes),
// independently of the importer's tables.
#ifndef GPT1_TEST_GPT1_FIXTURE_H
#define GPT1_TEST_GPT1_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "gpt/model.h"

// The fixture vocabulary as the two files' texts (static strings).
const char *fixture_encoder_json(void);
const char *fixture_merges(void);
int fixture_vocab_size(void);

// Makes directory `dir` (removing what an earlier run left) and writes the vocabulary
// there, with the release's names or Hugging Face's.
void write_fixture_vocab(const char *dir, bool hugging_face_names);
// A model of this config with random weights (far from the initialisation), for
// writing out and comparing.
Gpt *fixture_model(const GptConfig *config, unsigned long long seed);
// dir/params_shapes.json and dir/params_0.npy ... (n_shards, cut inside arrays).
void write_release_weights(const char *dir, const Gpt *model, int n_shards);
// dir/model.safetensors ("transformer." names, reversed order, mask buffers and a tied
// lm_head.weight) and dir/config.json.
void write_hugging_face_weights(const char *dir, const Gpt *model);
void write_text_file(const char *path, const char *text);
void remove_directory(const char *dir);
// Whether two models hold the same weights, bit for bit.
bool same_weights(const Gpt *a, const Gpt *b);

#endif
