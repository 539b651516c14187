// open, getpid, fsync and fdopen are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/io/replace_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "gpt/io/input_file.h"

enum { NAME_SIZE = 4096, NAME_ATTEMPTS = 100 };

// The temporary files open now, each with its name, so that replace_file_commit knows
// which file to rename.
static struct {
    FILE *file;
    char name[NAME_SIZE];
} open_files[REPLACE_FILE_MAX_OPEN];

// lstat, not stat: a symbolic link is not followed. Renaming over it would replace the
// link, not the file it points to, which is never what was meant.
bool replace_file_allowed(const char *path, char *why, size_t why_len) {
    if (path[0] == '\0') {
        snprintf(why, why_len, "an empty path names no file");
        return false;
    }
    const char *kind = non_regular_file_kind(path, false);
    if (kind == NULL) return true;  // a regular file, or nothing there yet
    snprintf(why, why_len, "%s is %s, not a regular file: it is never replaced", path, kind);
    return false;
}

// PATH.<pid>.tmp, or PATH.<pid>-<n>.tmp when a file of that name is left from an
// earlier process of the same number. O_EXCL: never a file that already exists.
static int create_temporary(const char *path, char *name) {
    for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
        long pid = (long)getpid();
        int n = attempt == 0 ? snprintf(name, NAME_SIZE, "%s.%ld.tmp", path, pid)
                             : snprintf(name, NAME_SIZE, "%s.%ld-%d.tmp", path, pid, attempt);
        if (n < 0 || n >= NAME_SIZE) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    return -1;  // errno is EEXIST
}

FILE *replace_file_open(const char *path) {
    if (path[0] == '\0' || non_regular_file_kind(path, false) != NULL) {
        errno = EEXIST;
        return NULL;
    }
    int slot = 0;
    while (slot < REPLACE_FILE_MAX_OPEN && open_files[slot].file != NULL) slot++;
    if (slot == REPLACE_FILE_MAX_OPEN) {
        errno = EMFILE;
        return NULL;
    }
    int fd = create_temporary(path, open_files[slot].name);
    if (fd < 0) return NULL;
    FILE *file = fdopen(fd, "wb");
    if (file == NULL) {
        int saved_errno = errno;
        close(fd);
        remove(open_files[slot].name);
        errno = saved_errno;
        return NULL;
    }
    open_files[slot].file = file;
    return file;
}

// Flushes to the disk, closes, and renames: false at the first step that fails.
static bool commit_temporary(FILE *file, const char *tmp, const char *path, bool written) {
    bool ok = written && fflush(file) == 0 && fsync(fileno(file)) == 0;
    int saved_errno = errno;
    if (fclose(file) != 0 && ok) {
        saved_errno = errno;
        ok = false;
    }
    if (ok && non_regular_file_kind(path, false) != NULL) {  // PATH became something else meanwhile
        saved_errno = EEXIST;
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

bool replace_file_commit(FILE *file, const char *path, bool written) {
    for (int slot = 0; slot < REPLACE_FILE_MAX_OPEN; slot++) {
        if (open_files[slot].file != file) continue;
        open_files[slot].file = NULL;
        return commit_temporary(file, open_files[slot].name, path, written);
    }
    fclose(file);  // not a file of replace_file_open: nothing to rename
    errno = EINVAL;
    return false;
}
