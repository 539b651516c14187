// Files written in full or not at all. The bytes go to PATH.tmp, which is renamed
// over PATH only when every write succeeded: a crash, a full disk or a bad run never
// leaves a half-written PATH, and never destroys the previous one.
#ifndef GPT1_REPLACE_FILE_H
#define GPT1_REPLACE_FILE_H

#include <stdbool.h>
#include <stdio.h>

// Opens PATH.tmp for writing; NULL (errno set) when it cannot be created.
FILE *replace_file_open(const char *path);
// Closes the file. When `written` (the caller's writes all succeeded) and the flush
// reaches the disk, PATH.tmp becomes PATH; otherwise PATH.tmp is removed and PATH
// is left as it was. False (errno set when the system said why) on failure.
bool replace_file_commit(FILE *file, const char *path, bool written);

#endif
