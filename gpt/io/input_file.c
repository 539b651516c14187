// open, fstat, lstat, fcntl and fdopen are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/io/input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of_mode(mode_t mode) {
    if (S_ISREG(mode)) return NULL;
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO (a named pipe)";
    if (S_ISLNK(mode)) return "a symbolic link";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

const char *non_regular_file_kind(const char *path, bool follow_links) {
    struct stat info;
    int status = follow_links ? stat(path, &info) : lstat(path, &info);
    return status == 0 ? kind_of_mode(info.st_mode) : NULL;
}

// O_NONBLOCK: opening a FIFO must not wait for a writer before the check can refuse
// it. For a regular file the flag changes nothing, and it is cleared anyway.
FILE *open_input_file(const char *path, const char *what, long *size, char *error, size_t error_len) {
    const char *space = what[0] != '\0' ? " " : "";
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(error, error_len, "%s: cannot open%s%s: %s", path, space, what, strerror(errno));
        return NULL;
    }
    struct stat info;
    const char *kind = fstat(fd, &info) == 0 ? kind_of_mode(info.st_mode) : "a file that cannot be examined";
    FILE *file = NULL;
    if (kind != NULL)
        snprintf(error, error_len, "%s: cannot read %s%s%s, only a regular file", path, kind, what[0] ? " as " : "",
                 what);
    else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 || (file = fdopen(fd, "rb")) == NULL)
        snprintf(error, error_len, "%s: cannot open%s%s: %s", path, space, what, strerror(errno));
    if (file == NULL) {
        close(fd);
        return NULL;
    }
    *size = (long)info.st_size;
    return file;
}
