#include "gpt/io/text_file.h"

#include <stdio.h>
#include <stdlib.h>

#include "gpt/io/input_file.h"

char *read_text_file(const char *path, size_t *len, char *error, size_t error_len) {
    long size;
    FILE *file = open_input_file(path, "", &size, error, error_len);
    if (file == NULL) return NULL;
    char *text = NULL;
    if (size > TEXT_FILE_MAX_BYTES)
        snprintf(error, error_len, "%s: %ld bytes, more than the %d (1 GiB) this program reads from a text file",
                 path, size, TEXT_FILE_MAX_BYTES);
    else if ((text = malloc((size_t)size + 1)) == NULL)
        snprintf(error, error_len, "%s: out of memory for its %ld bytes", path, size);
    else if (fread(text, 1, (size_t)size, file) != (size_t)size || getc(file) != EOF || ferror(file)) {
        snprintf(error, error_len, "%s: cannot read: a read failed or the file changed while it was read", path);
        free(text);
        text = NULL;
    }
    fclose(file);
    if (text == NULL) return NULL;
    text[size] = '\0';
    *len = (size_t)size;
    return text;
}
