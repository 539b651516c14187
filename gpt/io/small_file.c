// stat is POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/io/small_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpt/io/input_file.h"

// open_input_file: a FIFO is refused before anything waits for a writer.
char *read_small_file(const char *path, size_t max_bytes, size_t *len, char *error, size_t error_len) {
    long size;
    FILE *file = open_input_file(path, "", &size, error, error_len);
    if (file == NULL) return NULL;
    char *text = NULL;
    if ((unsigned long)size > max_bytes) {
        snprintf(error, error_len, "%s: %ld bytes, more than the %zu this file may have", path, size, max_bytes);
    } else if ((text = malloc((size_t)size + 1)) == NULL) {
        snprintf(error, error_len, "%s: out of memory for %ld bytes", path, size);
    } else if (fread(text, 1, (size_t)size, file) != (size_t)size || getc(file) != EOF) {
        snprintf(error, error_len, "%s: cannot read: the file changed or a read failed", path);
        free(text);
        text = NULL;
    } else {
        text[size] = '\0';
        *len = (size_t)size;
    }
    fclose(file);
    return text;
}

bool join_path(char *out, size_t size, const char *dir, const char *name) {
    size_t n = strlen(dir);
    const char *slash = n > 0 && dir[n - 1] == '/' ? "" : "/";
    int written = snprintf(out, size, "%s%s%s", dir, slash, name);
    return written >= 0 && (size_t)written < size;
}

bool file_exists(const char *path) {
    struct stat info;
    return stat(path, &info) == 0;
}
