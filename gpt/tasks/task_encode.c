#include "gpt/tasks/task_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert((int)MAX_TASK_FIELDS == (int)TASK_MAX_TEXTS, "an encoded example holds every text a data set example has");

// The text without the bytes a chars vocabulary lacks (a new string; free it).
static char *known_bytes_only(const Tokenizer *tokenizer, const char *text, size_t *len, long *dropped) {
    char *kept = malloc(*len + 1);
    if (kept == NULL) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < *len; i++) {
        if (tokenizer->byte_to_id[(unsigned char)text[i]] < 0)
            (*dropped)++;
        else
            kept[n++] = text[i];
    }
    *len = n;
    return kept;
}

static bool grow_ids(EncodedDataset *out, long needed, long *capacity) {
    if (needed <= *capacity) return true;
    long bigger = 2 * needed + 1024;
    int *grown = realloc(out->ids, sizeof(int) * (size_t)bigger);
    if (grown == NULL) return false;
    out->ids = grown;
    *capacity = bigger;
    return true;
}

// Appends the tokens of one field to out->ids (growing it) and returns where they start.
static long encode_field(const Tokenizer *tokenizer, const char *text, EncodedDataset *out, long *used,
                         long *capacity, char *error, size_t error_len) {
    size_t len = strlen(text);
    char *kept = NULL;
    if (tokenizer->kind == TOKENIZER_CHARS) {  // bytes and BPE encode every byte
        kept = known_bytes_only(tokenizer, text, &len, &out->n_dropped_bytes);
        if (kept == NULL) {
            snprintf(error, error_len, "out of memory while encoding");
            return -1;
        }
        text = kept;
    }
    long n;
    int *ids = tokenizer_encode(tokenizer, text, len, &n, error, error_len);
    free(kept);
    if (ids == NULL) return -1;
    if (!grow_ids(out, *used + n, capacity)) {
        free(ids);
        snprintf(error, error_len, "out of memory while encoding (%ld tokens)", *used + n);
        return -1;
    }
    if (n > 0) memcpy(out->ids + *used, ids, sizeof(int) * (size_t)n);  // out->ids is NULL before the first
    free(ids);
    long start = *used;
    *used += n;
    return start;
}

bool encode_dataset(const TaskDataset *data, const Tokenizer *tokenizer, EncodedDataset *out, char *error,
                    size_t error_len) {
    memset(out, 0, sizeof *out);
    out->n = data->n_examples;
    out->examples = calloc((size_t)(data->n_examples > 0 ? data->n_examples : 1), sizeof *out->examples);
    long used = 0, capacity = 0, *starts = malloc(sizeof(long) * ((size_t)data->n_examples * MAX_TASK_FIELDS + 1));
    if (out->examples == NULL || starts == NULL) {
        free(starts);
        encoded_dataset_free(out);
        snprintf(error, error_len, "out of memory for %d examples", data->n_examples);
        return false;
    }
    for (int i = 0; i < data->n_examples; i++) {
        const TaskExample *e = &data->examples[i];
        EncodedExample *x = &out->examples[i];
        x->n_fields = e->n_texts;
        x->label = e->label;
        x->target = e->score;
        for (int f = 0; f < x->n_fields; f++) {
            long start = encode_field(tokenizer, e->text[f], out, &used, &capacity, error, error_len);
            if (start < 0) {
                free(starts);
                encoded_dataset_free(out);
                return false;
            }
            starts[i * MAX_TASK_FIELDS + f] = start;
            x->fields[f].n = (int)(used - start);
        }
    }
    // out->ids may have moved while growing: point the spans at it only now.
    for (int i = 0; i < out->n; i++)
        for (int f = 0; f < out->examples[i].n_fields; f++)
            out->examples[i].fields[f].ids = out->ids + starts[i * MAX_TASK_FIELDS + f];
    free(starts);
    return true;
}

void encoded_dataset_free(EncodedDataset *data) {
    free(data->examples);
    free(data->ids);
    memset(data, 0, sizeof *data);
}
