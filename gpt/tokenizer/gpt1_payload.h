// GPT-1's vocabulary inside a checkpoint (the tokenizer payload of kind 3, gpt1):
//
//     gpt1.c-gpt1-tokenizer 1
//     encoder N          then N bytes: the encoder, as vocab.json has it, and "\n"
//     merges M           then M bytes: the merges, as merges.txt has them, and "\n"
//     end
//
// Both parts are the texts that gpt1_vocab_json and gpt1_merges_text write, so a
// checkpoint's payload is also the Hugging Face files of its tokenizer.
#ifndef GPT1_GPT1_PAYLOAD_H
#define GPT1_GPT1_PAYLOAD_H

#include <stddef.h>

#include "gpt/tokenizer/gpt1_vocab.h"

char *gpt1_payload(const Gpt1Vocab *vocab, size_t *len);  // NULL: out of memory
// The vocabulary of a payload, or NULL and one line saying which part is wrong.
Gpt1Vocab *gpt1_from_payload(const char *data, size_t len, char *error, size_t error_len);

#endif
