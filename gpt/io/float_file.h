// Float32 arrays in files, little-endian whatever the machine: the checkpoint's values,
// .npy shards and safetensors data are all stored this way.
#ifndef GPT1_FLOAT_FILE_H
#define GPT1_FLOAT_FILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

// Reads n floats; false when the file ends first or a read fails.
bool read_floats_le(FILE *file, float *values, uint64_t n);
bool write_floats_le(FILE *file, const float *values, uint64_t n);
// The size of an open file in bytes, or -1 (a pipe, an error).
int64_t file_size_of(FILE *file);

#endif
