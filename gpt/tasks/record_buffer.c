#include "gpt/tasks/record_buffer.h"

#include <stdlib.h>
#include <string.h>

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
