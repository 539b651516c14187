#include "gpt/io/safetensors.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/io/float_file.h"
#include "gpt/io/printable.h"

static const struct { const char *name; int bytes; } DTYPES[] = {
    {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8}, {"I32", 4}, {"I16", 2}, {"I8", 1},
    {"U64", 8}, {"U32", 4}, {"U16", 2}, {"U8", 1}, {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1},
};

typedef struct Problem {
    const char *file;
    char *error;
    size_t error_len;
} Problem;

// A message about the whole file: "<file>: <what>".
static bool file_problem(Problem *p, const char *format, ...) {
    int n = snprintf(p->error, p->error_len, "%s: ", p->file);
    va_list args;
    va_start(args, format);
    if (n >= 0 && (size_t)n < p->error_len) vsnprintf(p->error + n, p->error_len - (size_t)n, format, args);
    va_end(args);
    return false;
}

static bool tensor_problem(Problem *p, const char *tensor, const char *what) {
    char name[PRINTABLE_SIZE];
    snprintf(p->error, p->error_len, "%s: tensor \"%s\": %s", p->file, printable(tensor, strlen(tensor), 64, name, sizeof name),
             what);
    return false;
}

static int dtype_bytes(const char *dtype) {
    for (size_t i = 0; i < sizeof DTYPES / sizeof *DTYPES; i++)
        if (strcmp(DTYPES[i].name, dtype) == 0) return DTYPES[i].bytes;
    return 0;
}

// An array of non-negative integers of at most `max` elements into values.
static int integers(const Json *json, const JsonNode *array, int64_t *values, int max, int64_t limit) {
    if (array == NULL || array->type != JSON_ARRAY || array->n_children > max) return -1;
    int n = 0;
    for (const JsonNode *c = json_first(json, array); c != NULL; c = json_next(json, c)) {
        if (c->type != JSON_NUMBER || !c->is_integer || c->integer < 0 || c->integer > limit) return -1;
        values[n++] = c->integer;
    }
    return n;
}

// One member "name": {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}.
static bool read_entry(const Json *json, const JsonNode *member, SafetensorsEntry *e, Problem *p) {
    size_t name_length;
    e->name = json_key(json, member, &name_length);
    if (name_length == 0 || name_length > SAFETENSORS_MAX_NAME || strlen(e->name) != name_length)
        return tensor_problem(p, e->name, "a name of 1 to 255 bytes (none of them NUL) expected");
    const JsonNode *dtype = json_member(json, member, "dtype"), *shape = json_member(json, member, "shape");
    const JsonNode *offsets = json_member(json, member, "data_offsets");
    if (member->type != JSON_OBJECT || member->n_children != 3 || dtype == NULL || shape == NULL || offsets == NULL)
        return tensor_problem(p, e->name, "expected an object with exactly \"dtype\", \"shape\" and \"data_offsets\"");
    size_t dtype_length;
    const char *dtype_text = dtype->type == JSON_STRING ? json_string(json, dtype, &dtype_length) : "";
    if (dtype->type != JSON_STRING || dtype_length >= sizeof e->dtype || dtype_bytes(dtype_text) == 0)
        return tensor_problem(p, e->name, "dtype: expected F32, F16, BF16, F64, I64, I32, I16, I8, U8 or BOOL");
    strcpy(e->dtype, dtype_text);
    e->ndim = integers(json, shape, e->shape, SAFETENSORS_MAX_DIMS, (int64_t)1 << 40);
    if (e->ndim < 0) return tensor_problem(p, e->name, "shape: expected an array of at most 8 dimensions from 0 to 2^40");
    e->count = 1;
    for (int d = 0; d < e->ndim; d++) {
        if (e->shape[d] > 0 && e->count > ((uint64_t)1 << 60) / (uint64_t)e->shape[d])
            return tensor_problem(p, e->name, "shape: more than 2^60 elements");
        e->count *= (uint64_t)e->shape[d];
    }
    int64_t range[2];
    if (integers(json, offsets, range, 2, INT64_MAX) != 2 || range[0] > range[1])
        return tensor_problem(p, e->name, "data_offsets: expected [begin, end] with begin <= end");
    e->begin = (uint64_t)range[0], e->end = (uint64_t)range[1];
    if (e->end - e->begin != e->count * (uint64_t)dtype_bytes(e->dtype)) {
        char what[160];
        snprintf(what, sizeof what, "data_offsets: %llu bytes, but the shape and dtype need %llu",
                 (unsigned long long)(e->end - e->begin), (unsigned long long)(e->count * (uint64_t)dtype_bytes(e->dtype)));
        return tensor_problem(p, e->name, what);
    }
    return true;
}

// "__metadata__": an object of strings.
static bool check_metadata(const Json *json, const JsonNode *metadata, Problem *p) {
    bool ok = metadata->type == JSON_OBJECT;
    for (const JsonNode *c = ok ? json_first(json, metadata) : NULL; c != NULL; c = json_next(json, c))
        ok = ok && c->type == JSON_STRING;
    if (!ok) snprintf(p->error, p->error_len, "%s: __metadata__: expected an object of strings", p->file);
    return ok;
}

static int compare_begin(const void *a, const void *b) {
    const SafetensorsEntry *x = *(const SafetensorsEntry *const *)a, *y = *(const SafetensorsEntry *const *)b;
    return (x->begin > y->begin) - (x->begin < y->begin);
}

// The tensors, in the order of their data, must tile [0, data_size) exactly.
static bool check_coverage(Safetensors *st, uint64_t data_size, Problem *p) {
    const SafetensorsEntry **order = malloc(sizeof *order * (size_t)(st->count + 1));
    if (order == NULL) return file_problem(p, "out of memory");
    for (int i = 0; i < st->count; i++) order[i] = &st->entries[i];
    qsort(order, (size_t)st->count, sizeof *order, compare_begin);
    uint64_t at = 0;
    bool ok = true;
    for (int i = 0; i < st->count && ok; i++) {
        if (order[i]->begin != at) {
            char what[160];
            snprintf(what, sizeof what, "data_offsets: starts at byte %llu, where %s", (unsigned long long)order[i]->begin,
                     order[i]->begin < at ? "the previous tensor's data still are (overlap)" : "a hole of unused bytes ends");
            ok = tensor_problem(p, order[i]->name, what);
        }
        at = order[i]->end;
    }
    if (ok && at != data_size)
        snprintf(p->error, p->error_len, "%s: the tensors' data end at byte %llu of the data area, the file has %llu "
                 "bytes there (%s)", p->file, (unsigned long long)at, (unsigned long long)data_size,
                 at > data_size ? "truncated" : "unused bytes at the end"), ok = false;
    free(order);
    return ok;
}

static bool read_json_header(FILE *file, int64_t file_size, Safetensors *st, Problem *p) {
    unsigned char size_bytes[8];
    uint64_t n = 0;
    if (file_size < 8 || fread(size_bytes, 1, 8, file) != 8)
        return file_problem(p, "too short for a safetensors file (8-byte header length)");
    for (int i = 7; i >= 0; i--) n = n << 8 | size_bytes[i];
    if (n < 2 || n > SAFETENSORS_MAX_HEADER || n > (uint64_t)file_size - 8) {
        snprintf(p->error, p->error_len, "%s: header length: expected 2 to %llu bytes that the file holds, found %llu",
                 p->file, (unsigned long long)SAFETENSORS_MAX_HEADER, (unsigned long long)n);
        return false;
    }
    char *text = malloc((size_t)n);
    if (text == NULL) return file_problem(p, "out of memory for the header");
    bool ok = fread(text, 1, (size_t)n, file) == n;
    if (!ok) snprintf(p->error, p->error_len, "%s: cannot read the header", p->file);
    else if (text[0] != '{') ok = false, snprintf(p->error, p->error_len, "%s: the header must start with '{'", p->file);
    ok = ok && json_parse(&st->header, p->file, text, (size_t)n, p->error, p->error_len);
    free(text);
    st->data_start = 8 + n;
    return ok;
}

static bool read_entries(Safetensors *st, Problem *p) {
    const JsonNode *root = json_root(&st->header);
    if (root->n_children > SAFETENSORS_MAX_TENSORS)
        return file_problem(p, "more than %d tensors", SAFETENSORS_MAX_TENSORS);
    st->entries = calloc((size_t)root->n_children + 1, sizeof *st->entries);
    if (st->entries == NULL) return file_problem(p, "out of memory");
    for (const JsonNode *m = json_first(&st->header, root); m != NULL; m = json_next(&st->header, m)) {
        if (strcmp(json_key(&st->header, m, NULL), "__metadata__") == 0) {
            if (!check_metadata(&st->header, m, p)) return false;
        } else if (!read_entry(&st->header, m, &st->entries[st->count++], p)) {
            return false;
        }
    }
    return true;
}

bool safetensors_read_header(FILE *file, const char *name, int64_t file_size, Safetensors *st, char *error,
                             size_t error_len) {
    memset(st, 0, sizeof *st);
    Problem p = {name, error, error_len};
    bool ok = read_json_header(file, file_size, st, &p);
    if (ok && json_root(&st->header)->type != JSON_OBJECT)
        ok = false, snprintf(error, error_len, "%s: the header must be a JSON object", name);
    ok = ok && read_entries(st, &p) && check_coverage(st, (uint64_t)file_size - st->data_start, &p);
    if (!ok) safetensors_free(st);
    return ok;
}

void safetensors_free(Safetensors *st) {
    json_free(&st->header);
    free(st->entries);
    memset(st, 0, sizeof *st);
}

const SafetensorsEntry *safetensors_find(const Safetensors *st, const char *name) {
    for (int i = 0; i < st->count; i++)
        if (strcmp(st->entries[i].name, name) == 0) return &st->entries[i];
    return NULL;
}

static uint64_t element_count(const SafetensorsTensor *t) {
    uint64_t n = 1;
    for (int d = 0; d < t->ndim; d++) n *= (uint64_t)t->shape[d];
    return n;
}

bool safetensors_write(FILE *file, const SafetensorsTensor *tensors, int count) {
    size_t capacity = 64, n = 0;
    for (int i = 0; i < count; i++) capacity += 6 * strlen(tensors[i].name) + 8 * 24 + 96;
    char *header = malloc(capacity);
    if (header == NULL) return false;
    n += (size_t)sprintf(header, "{\"__metadata__\":{\"format\":\"pt\"}");
    uint64_t offset = 0;
    for (int i = 0; i < count; i++) {
        n += (size_t)sprintf(header + n, ",");
        n += json_escape_string(header + n, tensors[i].name, strlen(tensors[i].name));
        n += (size_t)sprintf(header + n, ":{\"dtype\":\"F32\",\"shape\":[");
        for (int d = 0; d < tensors[i].ndim; d++) n += (size_t)sprintf(header + n, d ? ",%lld" : "%lld", (long long)tensors[i].shape[d]);
        uint64_t bytes = 4 * element_count(&tensors[i]);
        n += (size_t)sprintf(header + n, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)offset,
                             (unsigned long long)(offset + bytes));
        offset += bytes;
    }
    header[n++] = '}';
    while (n % 8 != 0) header[n++] = ' ';  // the data start 8-byte aligned
    unsigned char size_bytes[8];
    for (int i = 0; i < 8; i++) size_bytes[i] = (unsigned char)((uint64_t)n >> (8 * i));
    bool ok = fwrite(size_bytes, 1, 8, file) == 8 && fwrite(header, 1, n, file) == n;
    free(header);
    for (int i = 0; i < count && ok; i++) ok = write_floats_le(file, tensors[i].data, element_count(&tensors[i]));
    return ok;
}
