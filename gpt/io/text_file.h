// Reading a whole text file into memory.
#ifndef GPT1_TEXT_FILE_H
#define GPT1_TEXT_FILE_H

#include <stddef.h>

// The largest text file read whole (training text, task data, a training log): 1 GiB,
// which becomes 4 GiB of token ids with the bytes tokenizer.
enum { TEXT_FILE_MAX_BYTES = 1 << 30 };

// Reads a whole regular file of at most TEXT_FILE_MAX_BYTES into a new NUL-terminated
// buffer (free it). NULL and a message naming the file on failure.
char *read_text_file(const char *path, size_t *len, char *error, size_t error_len);

#endif
