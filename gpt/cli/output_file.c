// The output files of the picture commands (plot, attention, graph) and of
// eval --predictions, written through a temporary file (gpt/io/replace_file.h) so that a
// failed run leaves PATH as it was; a PATH that is not a regular file is never replaced.
// The training logs are checked before the work, too.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gpt/cli/commands.h"
#include "gpt/io/input_file.h"
#include "gpt/io/replace_file.h"

FILE *open_output_or_exit(const Command *command, const char *path) {
    char why[512];
    if (!replace_file_allowed(path, why, sizeof why)) usage_error(command, "%s", why);
    FILE *file = replace_file_open(path);
    if (file == NULL) usage_error(command, "%s: cannot write this file: %s", path, strerror(errno));
    return file;
}

void check_output_or_exit(const Command *command, const char *path) {
    FILE *probe = open_output_or_exit(command, path);
    replace_file_commit(probe, path, false);  // not written: removes the temporary file, leaves PATH alone
}

void check_log_or_exit(const Command *command, const char *path) {
    const char *kind = non_regular_file_kind(path, true);
    if (kind != NULL) usage_error(command, "%s: cannot write the log: it is %s, not a regular file", path, kind);
}

void close_output_or_exit(FILE *file, const char *path, bool written) {
    if (!replace_file_commit(file, path, written))
        runtime_error("%s: the file could not be written completely: %s (a previous %s is untouched)", path,
                      strerror(errno), path);
}

bool ends_with_text(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}
