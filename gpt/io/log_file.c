#include "gpt/io/log_file.h"

#include <errno.h>
#include <string.h>

#include "gpt/io/input_file.h"

FILE *log_file_open(const char *path, bool append, const char *header, char *error, size_t error_len) {
    const char *kind = non_regular_file_kind(path, true);
    if (kind != NULL) {  // a FIFO would block the run until read; a device would be written into
        snprintf(error, error_len, "%s: cannot write the log: it is %s, not a regular file", path, kind);
        return NULL;
    }
    FILE *log = fopen(path, append ? "a" : "w");
    if (log == NULL) {
        snprintf(error, error_len, "%s: cannot write the log: %s", path, strerror(errno));
        return NULL;
    }
    fseek(log, 0, SEEK_END);
    if (ftell(log) == 0) fprintf(log, "%s\n", header);
    return log;
}

bool log_file_close(FILE *log, const char *path, bool run_ok, char *error, size_t error_len) {
    bool written = !ferror(log);
    int saved_errno = errno;
    if (fclose(log) != 0 && written) {
        saved_errno = errno;
        written = false;
    }
    if (written || !run_ok) return run_ok;
    snprintf(error, error_len, "%s: the log could not be written completely: %s", path, strerror(saved_errno));
    return false;
}
