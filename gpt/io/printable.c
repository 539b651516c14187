#include "gpt/io/printable.h"

#include <stdio.h>

const char *printable(const char *bytes, size_t n, size_t max, char *out, size_t size) {
    size_t at = 0;
    for (size_t i = 0; i < n && i < max && at + 8 < size; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c >= 0x20 && c < 0x7F) out[at++] = (char)c;
        else at += (size_t)snprintf(out + at, size - at, "\\x%02X", c);
    }
    if (n > max && at + 4 < size) at += (size_t)snprintf(out + at, size - at, "...");
    if (size > 0) out[at < size ? at : size - 1] = '\0';
    return out;
}
