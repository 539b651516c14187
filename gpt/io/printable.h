// Bytes from a file, made safe to quote in a one-line error message: printable ASCII as
// it is, every other byte (a newline, a control character, UTF-8, invalid bytes) as
// \xNN, so that a message is always one line of ASCII whatever the file holds.
#ifndef GPT1_PRINTABLE_H
#define GPT1_PRINTABLE_H

#include <stddef.h>

enum { PRINTABLE_SIZE = 4 * 64 + 8 };  // room for 64 bytes shown, escaped, and "..."

// Writes at most `max` of the n bytes (then "...") into out (PRINTABLE_SIZE bytes is
// enough for max <= 64); returns out.
const char *printable(const char *bytes, size_t n, size_t max, char *out, size_t size);

#endif
