// Splits a text buffer into records of fields, for the task-data readers. Two
// dialects: tab-separated (split on every tab, quotes are ordinary characters) and
// RFC-4180 comma-separated (quoted fields may hold commas, doubled quotes, newlines).
// Both strip a UTF-8 byte-order mark, accept LF or CRLF, a missing final newline and
// blank lines at the end of the buffer; all other bytes pass through untouched.
#ifndef GPT1_RECORDS_H
#define GPT1_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Field {
    const char *text;  // NUL-terminated, inside Record.bytes
    size_t len;        // may be shorter than strlen would say if the field holds a NUL
    size_t offset;     // position in Record.bytes (bytes may move while the record grows)
} Field;

typedef struct Record {
    Field *fields;
    int n_fields;
    int fields_capacity;
    char *bytes;       // every field's text, each followed by a NUL
    size_t bytes_used, bytes_capacity;
    size_t field_start; // where the field being built begins in bytes
    int line;          // the line the record starts on, 1-based
    bool blank;        // the line was empty (not at the end of the buffer)
} Record;

typedef struct RecordReader {
    const char *bytes;
    size_t len;
    size_t pos;        // the start of the next record
    int line;          // the line number at pos
    char separator;    // '\t' or ','
    bool quotes;       // CSV quoting rules
} RecordReader;

typedef enum ReadResult {
    READ_RECORD,         // *record holds the next record
    READ_END,            // nothing but blank lines was left
    READ_BAD_RECORD,     // malformed (CSV quoting) in field n_fields (0-based), `why` says how;
                         // the reader went on to the next line
    READ_OUT_OF_MEMORY,
} ReadResult;

void record_reader_init(RecordReader *reader, const char *bytes, size_t len, char separator, bool quotes);
ReadResult record_read(RecordReader *reader, Record *record, char *why, size_t why_size);
void record_free(Record *record);

// Internal to records.c and csv.c: building a record field by field.
void record_clear(Record *record, int line);
bool record_append(Record *record, const char *bytes, size_t len);  // to the current field
bool record_end_field(Record *record);                               // and start the next
void record_finish(Record *record);                                  // set Field.text pointers
void *grow_buffer(void *items, size_t *capacity, size_t needed, size_t item_size);
ReadResult csv_read(RecordReader *reader, Record *record, char *why, size_t why_size);

#endif
