// Opening a file to read. Only a regular file is read: its size is known before a byte
// is read, so a file too large to hold is refused at once, and /dev/zero (which never
// ends), a FIFO that nobody writes to (which would wait forever) or a directory get a
// clear message instead.
#ifndef GPT1_INPUT_FILE_H
#define GPT1_INPUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

// What PATH is when it exists and is not a regular file: "a directory", "a character
// device", "a FIFO (a named pipe)", ...; NULL for a regular file or a path that does
// not exist. follow_links: describe what a symbolic link points to, not the link.
const char *non_regular_file_kind(const char *path, bool follow_links);

// Opens a regular file for reading and gives its size in bytes. NULL and one line
// naming the file otherwise: "vocab.bpe: cannot open the vocabulary: No such file or
// directory", "/dev/zero: cannot read a character device as the vocabulary, only a
// regular file". `what` names the file's role, or is "".
FILE *open_input_file(const char *path, const char *what, long *size, char *error, size_t error_len);

#endif
