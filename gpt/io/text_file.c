#include "gpt/io/text_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *read_text_file(const char *path, size_t *len, char *error, size_t error_len) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        snprintf(error, error_len, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t capacity = 1 << 16, n = 0;
    char *text = malloc(capacity);
    size_t got;
    while (text != NULL && (got = fread(text + n, 1, capacity - n - 1, file)) > 0) {
        n += got;
        if (n + 1 == capacity) {
            char *bigger = realloc(text, capacity *= 2);
            if (bigger == NULL) free(text);
            text = bigger;
        }
    }
    bool failed = text == NULL || ferror(file);
    fclose(file);
    if (failed) {
        snprintf(error, error_len, "%s: cannot read: %s", path, text == NULL ? "out of memory" : strerror(errno));
        free(text);
        return NULL;
    }
    text[n] = '\0';
    *len = n;
    return text;
}
