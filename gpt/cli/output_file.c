// The output files of the picture commands (plot, attention, graph).
#include <stdio.h>
#include <string.h>

#include "gpt/cli/commands.h"

FILE *open_output_or_exit(const Command *command, const char *path) {
    FILE *file = fopen(path, "wb");
    if (file == NULL) usage_error(command, "%s: cannot write this file", path);
    return file;
}

void close_output_or_exit(FILE *file, const char *path, bool written) {
    bool closed = fclose(file) == 0;
    if (!written || !closed) runtime_error("%s: the file could not be written completely", path);
}

bool ends_with_text(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}
