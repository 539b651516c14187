// The comma-separated dialect, RFC 4180: a field that holds the separator, a quote
// or a line break is wrapped in double quotes, and a quote inside it is doubled:
//     id,"He said ""hi"", then left.",2   →   id | He said "hi", then left. | 2
// A quote in the middle of an unquoted field is kept as an ordinary character (as
// Python's csv module does); text between a closing quote and the next separator is
// an error, because it usually means an inner quote that was not doubled.
#include <stdio.h>
#include <string.h>

#include "gpt/tasks/csv.h"

static bool at_end(const RecordReader *reader) { return reader->pos >= reader->len; }
static char peek(const RecordReader *reader) { return reader->bytes[reader->pos]; }

// After a bad field: continue at the next line so that one bad row costs one row.
static void skip_rest_of_line(RecordReader *reader) {
    const char *start = reader->bytes + reader->pos;
    const char *newline = memchr(start, '\n', reader->len - reader->pos);
    reader->pos = newline ? (size_t)(newline - reader->bytes) + 1 : reader->len;
    if (newline) reader->line++;
}

// An unquoted field runs to the next separator or line end; the '\r' of CRLF is dropped.
static ReadResult read_unquoted(RecordReader *reader, Record *record) {
    size_t start = reader->pos;
    while (!at_end(reader) && peek(reader) != reader->separator && peek(reader) != '\n') reader->pos++;
    size_t end = reader->pos;
    bool ends_line = at_end(reader) || peek(reader) == '\n';
    if (ends_line && end > start && reader->bytes[end - 1] == '\r') end--;
    bool ok = record_append(record, reader->bytes + start, end - start) && record_end_field(record);
    return ok ? READ_RECORD : READ_OUT_OF_MEMORY;
}

static bool followed_by_field_end(const RecordReader *reader) {
    if (at_end(reader)) return true;
    char c = peek(reader);
    if (c == reader->separator || c == '\n') return true;
    return c == '\r' && (reader->pos + 1 == reader->len || reader->bytes[reader->pos + 1] == '\n');
}

// The bytes between the quotes, with "" turned into " and line breaks kept as they are.
static ReadResult read_quoted(RecordReader *reader, Record *record, char *why, size_t why_size) {
    int opened_on = reader->line;
    reader->pos++;  // the opening quote
    for (;;) {
        const char *start = reader->bytes + reader->pos;
        const char *quote = memchr(start, '"', reader->len - reader->pos);
        size_t len = quote ? (size_t)(quote - start) : reader->len - reader->pos;
        for (size_t i = 0; i < len; i++) reader->line += start[i] == '\n';
        if (!record_append(record, start, len)) return READ_OUT_OF_MEMORY;
        reader->pos += len;
        if (quote == NULL) {
            snprintf(why, why_size, "the quote opened on line %d is never closed", opened_on);
            return READ_BAD_RECORD;
        }
        bool doubled = reader->pos + 1 < reader->len && reader->bytes[reader->pos + 1] == '"';
        if (!doubled) break;
        if (!record_append(record, "\"", 1)) return READ_OUT_OF_MEMORY;
        reader->pos += 2;
    }
    reader->pos++;  // the closing quote
    if (!followed_by_field_end(reader)) {
        const char *rest = reader->bytes + reader->pos;
        int shown = 0;  // up to 20 bytes of what follows, on this line
        while (shown < 20 && reader->pos + (size_t)shown < reader->len && rest[shown] != '\r' && rest[shown] != '\n')
            shown++;
        snprintf(why, why_size, "expected '%c' or the end of the line after the closing quote, got \"%.*s\" "
                 "(a quote inside a quoted field must be doubled: \"\")", reader->separator, shown, rest);
        return READ_BAD_RECORD;
    }
    return record_end_field(record) ? READ_RECORD : READ_OUT_OF_MEMORY;
}

ReadResult csv_read(RecordReader *reader, Record *record, char *why, size_t why_size) {
    size_t record_start = reader->pos;
    for (;;) {
        bool quoted = !at_end(reader) && peek(reader) == '"';
        ReadResult result = quoted ? read_quoted(reader, record, why, why_size) : read_unquoted(reader, record);
        if (result == READ_BAD_RECORD && !at_end(reader)) skip_rest_of_line(reader);
        if (result != READ_RECORD) return result;
        if (at_end(reader)) break;
        char c = peek(reader);
        reader->pos++;
        if (c == reader->separator) continue;
        if (c == '\r' && !at_end(reader)) reader->pos++;  // the '\n' of "\r\n" after a closing quote
        reader->line++;
        break;
    }
    size_t line_bytes = reader->pos - record_start;
    record->blank = record->n_fields == 1 && record->fields[0].len == 0 && line_bytes <= 2 &&
                    reader->bytes[record_start] != '"';
    record_finish(record);
    return READ_RECORD;
}
