// From parsed task data (task_data.h: text fields and labels) to tokenized examples
// (encoded_example.h: token spans), ready for the input transformations.
#ifndef GPT1_TASK_ENCODE_H
#define GPT1_TASK_ENCODE_H

#include "gpt/tasks/encoded_example.h"
#include "gpt/tasks/task_data.h"
#include "gpt/tokenizer/tokenizer.h"

typedef struct EncodedDataset {
    EncodedExample *examples;  // fields point into `ids`
    int n;
    int *ids;                  // every field's tokens, one after the other
    long n_dropped_bytes;      // chars tokenizer: bytes its vocabulary lacks, left out
} EncodedDataset;

// Tokenizes every field of every example. A chars tokenizer leaves out the bytes its
// vocabulary lacks (and counts them); bytes and BPE tokenizers encode anything.
bool encode_dataset(const TaskDataset *data, const Tokenizer *tokenizer, EncodedDataset *out, char *error,
                    size_t error_len);
void encoded_dataset_free(EncodedDataset *data);

#endif
