// A record of fields and the reader's position: the types the task-data readers share,
// and how a record is built field by field (records.c for tab-separated lines, csv.c
// for the quoted dialect). Callers read records through gpt/tasks/records.h.
#ifndef GPT1_RECORD_BUFFER_H
#define GPT1_RECORD_BUFFER_H

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
    size_t content;    // the first byte at or after pos that is not a line break (len: none)
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

// Building a record field by field (the readers in records.c and csv.c).
void record_clear(Record *record, int line);
bool record_append(Record *record, const char *bytes, size_t len);  // to the current field
bool record_end_field(Record *record);                               // and start the next
void record_finish(Record *record);                                  // set Field.text pointers
void *grow_buffer(void *items, size_t *capacity, size_t needed, size_t item_size);
void record_free(Record *record);

#endif
