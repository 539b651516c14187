// Reading a whole text file into memory.
#ifndef GPT1_TEXT_FILE_H
#define GPT1_TEXT_FILE_H

#include <stddef.h>

// Reads a whole file into a new NUL-terminated buffer (free it). NULL and a message
// naming the file on failure.
char *read_text_file(const char *path, size_t *len, char *error, size_t error_len);

#endif
