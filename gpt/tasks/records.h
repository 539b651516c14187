// Splits a text buffer into records of fields, for the task-data readers. Two
// dialects: tab-separated (split on every tab, quotes are ordinary characters) and
// RFC-4180 comma-separated (quoted fields may hold commas, doubled quotes, newlines).
// Both strip a UTF-8 byte-order mark, accept LF or CRLF, a missing final newline and
// blank lines at the end of the buffer; all other bytes pass through untouched.
#ifndef GPT1_RECORDS_H
#define GPT1_RECORDS_H

#include "gpt/tasks/record_buffer.h"

void record_reader_init(RecordReader *reader, const char *bytes, size_t len, char separator, bool quotes);
ReadResult record_read(RecordReader *reader, Record *record, char *why, size_t why_size);

#endif
