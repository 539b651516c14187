// The safetensors format (Hugging Face's model.safetensors): an 8-byte little-endian
// header length N, N bytes of JSON, then the tensors' bytes one after the other:
//
//     {"__metadata__": {"format": "pt"},
//      "tokens_embed.weight": {"dtype": "F32", "shape": [40478, 768], "data_offsets": [0, 124348416]}, ...}
//
// data_offsets are relative to the end of the header. The reader checks what the format
// promises: a header of at most 100 MB that the file holds, a JSON object whose members
// each have exactly dtype, shape and data_offsets, a known dtype, offsets that match the
// shape, and tensors that cover the data area exactly, without holes or overlaps.
#ifndef GPT1_SAFETENSORS_H
#define GPT1_SAFETENSORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpt/io/json.h"

enum { SAFETENSORS_MAX_DIMS = 8, SAFETENSORS_MAX_TENSORS = 100000, SAFETENSORS_MAX_NAME = 255 };
#define SAFETENSORS_MAX_HEADER ((uint64_t)100 << 20)

typedef struct SafetensorsEntry {
    const char *name;          // in the header's string pool, NUL-terminated
    char dtype[8];             // "F32", "F16", "I64", ...
    int ndim;
    int64_t shape[SAFETENSORS_MAX_DIMS];
    uint64_t count;            // elements
    uint64_t begin, end;       // bytes, from the start of the data area
} SafetensorsEntry;

typedef struct Safetensors {
    Json header;
    SafetensorsEntry *entries;  // in the header's order
    int count;
    uint64_t data_start;        // 8 + N: where the data area starts in the file
} Safetensors;

bool safetensors_read_header(FILE *file, const char *name, int64_t file_size, Safetensors *st, char *error,
                             size_t error_len);
void safetensors_free(Safetensors *st);
const SafetensorsEntry *safetensors_find(const Safetensors *st, const char *name);  // NULL: absent

// One float32 tensor to write.
typedef struct SafetensorsTensor {
    const char *name;
    int ndim;
    int64_t shape[SAFETENSORS_MAX_DIMS];
    const float *data;
} SafetensorsTensor;

// The whole file: the header (with "__metadata__": {"format": "pt"}, padded with spaces
// to a multiple of 8 bytes), then every tensor's floats, little-endian, in order.
bool safetensors_write(FILE *file, const SafetensorsTensor *tensors, int count);

#endif
