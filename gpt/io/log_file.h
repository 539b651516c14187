// The CSV logs of gpt pretrain and gpt finetune (read back by gpt plot): one header
// line, then a row per step, written as training goes.
#ifndef GPT1_LOG_FILE_H
#define GPT1_LOG_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

// Opens the log from scratch or, for a resumed run, to append; the header is written
// whenever the file is empty. NULL, with a message in error, when it cannot be opened
// or exists and is not a regular file (a FIFO would stall the run, a device be written).
FILE *log_file_open(const char *path, bool append, const char *header, char *error, size_t error_len);
// Closes the log. Returns run_ok, or false when a row could not be written; the
// message goes to error only if the run had none of its own.
bool log_file_close(FILE *log, const char *path, bool run_ok, char *error, size_t error_len);

#endif
