// fsync (flush to disk before the rename) is POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/io/replace_file.h"

#include <errno.h>
#include <unistd.h>

static bool temporary_name(const char *path, char *tmp, size_t size) {
    if (snprintf(tmp, size, "%s.tmp", path) < (int)size) return true;
    errno = ENAMETOOLONG;
    return false;
}

FILE *replace_file_open(const char *path) {
    char tmp[4096];
    return temporary_name(path, tmp, sizeof tmp) ? fopen(tmp, "wb") : NULL;
}

bool replace_file_commit(FILE *file, const char *path, bool written) {
    char tmp[4096];
    temporary_name(path, tmp, sizeof tmp);  // fits: replace_file_open made it
    bool ok = written && fflush(file) == 0 && fsync(fileno(file)) == 0;
    int saved_errno = errno;
    if (fclose(file) != 0 && ok) {
        saved_errno = errno;
        ok = false;
    }
    if (ok && rename(tmp, path) != 0) {
        saved_errno = errno;
        ok = false;
    }
    if (!ok) {
        remove(tmp);
        errno = saved_errno;
    }
    return ok;
}
