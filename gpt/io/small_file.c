// stat is POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/io/small_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *read_small_file(const char *path, size_t max_bytes, size_t *len, char *error, size_t error_len) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        snprintf(error, error_len, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat info;
    char *text = NULL;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
        snprintf(error, error_len, "%s: not a regular file", path);
    } else if ((unsigned long long)info.st_size > max_bytes) {
        snprintf(error, error_len, "%s: %lld bytes, more than the %zu this file may have", path,
                 (long long)info.st_size, max_bytes);
    } else if ((text = malloc((size_t)info.st_size + 1)) == NULL) {
        snprintf(error, error_len, "%s: out of memory for %lld bytes", path, (long long)info.st_size);
    } else if (fread(text, 1, (size_t)info.st_size, file) != (size_t)info.st_size || getc(file) != EOF) {
        snprintf(error, error_len, "%s: cannot read: the file changed or a read failed", path);
        free(text);
        text = NULL;
    } else {
        text[info.st_size] = '\0';
        *len = (size_t)info.st_size;
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
