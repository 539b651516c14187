// The record reader and the tab-separated dialect; csv.c holds the quoted dialect and
// record_buffer.c the record being built.
#include "gpt/tasks/records.h"

#include <string.h>

#include "gpt/tasks/csv.h"

static const char UTF8_BOM[] = "\xEF\xBB\xBF";

void record_reader_init(RecordReader *reader, const char *bytes, size_t len, char separator, bool quotes) {
    *reader = (RecordReader){.bytes = bytes, .len = len, .pos = 0, .content = 0, .line = 1, .separator = separator,
                             .quotes = quotes};
    if (len >= 3 && memcmp(bytes, UTF8_BOM, 3) == 0) reader->pos = 3;
}

// True when only line breaks remain from `pos`: trailing blank lines end the data. The
// scan starts where the last one stopped (pos only moves forward), so a run of blank
// lines is scanned once, not once per line: reading stays linear in the file's size.
static bool only_line_breaks_left(RecordReader *reader) {
    size_t i = reader->content > reader->pos ? reader->content : reader->pos;
    while (i < reader->len && (reader->bytes[i] == '\n' || reader->bytes[i] == '\r')) i++;
    reader->content = i;
    return i == reader->len;
}

// One line split at every separator; the '\r' of a CRLF ending is dropped.
static ReadResult tsv_read(RecordReader *reader, Record *record) {
    const char *start = reader->bytes + reader->pos;
    size_t rest = reader->len - reader->pos;
    const char *newline = memchr(start, '\n', rest);
    size_t line_len = newline ? (size_t)(newline - start) : rest;
    reader->pos += newline ? line_len + 1 : line_len;
    reader->line++;
    if (line_len > 0 && start[line_len - 1] == '\r') line_len--;
    record->blank = line_len == 0;
    size_t field_begin = 0;
    for (size_t i = 0; i <= line_len; i++) {
        if (i < line_len && start[i] != reader->separator) continue;
        if (!record_append(record, start + field_begin, i - field_begin) || !record_end_field(record))
            return READ_OUT_OF_MEMORY;
        field_begin = i + 1;
    }
    record_finish(record);
    return READ_RECORD;
}

ReadResult record_read(RecordReader *reader, Record *record, char *why, size_t why_size) {
    record_clear(record, reader->line);
    if (only_line_breaks_left(reader)) return READ_END;
    if (reader->quotes) return csv_read(reader, record, why, why_size);
    return tsv_read(reader, record);
}
