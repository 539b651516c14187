// Reading a whole file that must not be larger than a limit (a vocabulary, a JSON
// header): the size is checked before anything is read, so a huge or endless file
// costs nothing.
#ifndef GPT1_SMALL_FILE_H
#define GPT1_SMALL_FILE_H

#include <stdbool.h>
#include <stddef.h>

// A new NUL-terminated buffer with the file's bytes (free it), or NULL and one line
// naming the file: cannot open, not a regular file, larger than max_bytes, cannot read.
char *read_small_file(const char *path, size_t max_bytes, size_t *len, char *error, size_t error_len);
// PATH/NAME into out; false when it does not fit.
bool join_path(char *out, size_t size, const char *dir, const char *name);
bool file_exists(const char *path);

#endif
