// Files written in full or not at all. The bytes go to a temporary file of a name no
// other process uses (PATH.<pid>.tmp, in PATH's directory), which is renamed over PATH
// only when every write succeeded: a crash, a full disk or a bad run never leaves a
// half-written PATH and never destroys the previous one, and two runs writing the same
// PATH never share a temporary file. An existing PATH that is not a regular file (a
// device such as /dev/null, a FIFO, a directory, a symbolic link) is never replaced.
#ifndef GPT1_REPLACE_FILE_H
#define GPT1_REPLACE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { REPLACE_FILE_MAX_OPEN = 16 };  // replacements open at the same time

// Whether PATH may be replaced: it does not exist or is a regular file. Otherwise false,
// and `why` says what it is ("fakenull is a character device, not a regular file").
bool replace_file_allowed(const char *path, char *why, size_t why_len);
// Opens the temporary file for writing. NULL (errno set) when PATH may not be replaced
// (errno EEXIST: replace_file_allowed says why) or the temporary file cannot be created.
FILE *replace_file_open(const char *path);
// Closes the file. When `written` (the caller's writes all succeeded) and the flush
// reaches the disk, the temporary file becomes PATH; otherwise it is removed and PATH
// is left as it was. False (errno set when the system said why) on failure.
bool replace_file_commit(FILE *file, const char *path, bool written);

#endif
