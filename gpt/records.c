// The record buffer and the tab-separated dialect. csv.c holds the quoted dialect.
#include "gpt/records.h"

#include <stdlib.h>
#include <string.h>

static const char UTF8_BOM[] = "\xEF\xBB\xBF";

void record_reader_init(RecordReader *reader, const char *bytes, size_t len, char separator, bool quotes) {
    *reader = (RecordReader){.bytes = bytes, .len = len, .pos = 0, .line = 1, .separator = separator, .quotes = quotes};
    if (len >= 3 && memcmp(bytes, UTF8_BOM, 3) == 0) reader->pos = 3;
}

void record_free(Record *record) {
    free(record->fields);
    free(record->bytes);
    *record = (Record){0};
}

void record_clear(Record *record, int line) {
    record->n_fields = 0;
    record->bytes_used = 0;
    record->field_start = 0;
    record->line = line;
    record->blank = false;
}

// Doubles a buffer until it holds `needed` items (amortised O(1) appends). Returns
// the buffer, moved or not, or NULL when memory ran out (the old one is still valid).
void *grow_buffer(void *items, size_t *capacity, size_t needed, size_t item_size) {
    if (needed <= *capacity && items != NULL) return items;
    size_t new_capacity = *capacity ? *capacity : 64;
    while (new_capacity < needed) new_capacity *= 2;
    void *grown = realloc(items, new_capacity * item_size);
    if (grown != NULL) *capacity = new_capacity;
    return grown;
}

bool record_append(Record *record, const char *bytes, size_t len) {
    char *grown = grow_buffer(record->bytes, &record->bytes_capacity, record->bytes_used + len + 1, 1);
    if (grown == NULL) return false;
    record->bytes = grown;
    if (len > 0) memcpy(record->bytes + record->bytes_used, bytes, len);
    record->bytes_used += len;
    return true;
}

bool record_end_field(Record *record) {
    size_t capacity = (size_t)record->fields_capacity;
    Field *fields = grow_buffer(record->fields, &capacity, (size_t)record->n_fields + 1, sizeof(Field));
    if (fields == NULL) return false;
    record->fields = fields;
    record->fields_capacity = (int)capacity;
    if (!record_append(record, "", 0)) return false;  // makes room for the NUL
    record->bytes[record->bytes_used++] = '\0';
    record->fields[record->n_fields++] =
        (Field){.text = NULL, .len = record->bytes_used - 1 - record->field_start, .offset = record->field_start};
    record->field_start = record->bytes_used;
    return true;
}

void record_finish(Record *record) {
    for (int i = 0; i < record->n_fields; i++) record->fields[i].text = record->bytes + record->fields[i].offset;
}

// True when only line breaks remain from `pos`: trailing blank lines end the data.
static bool only_line_breaks_left(const RecordReader *reader) {
    for (size_t i = reader->pos; i < reader->len; i++)
        if (reader->bytes[i] != '\n' && reader->bytes[i] != '\r') return false;
    return true;
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
