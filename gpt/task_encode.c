#include "gpt/task_encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The text without the bytes a chars vocabulary lacks (a new string; free it).
static char *known_bytes_only(const Tokenizer *tokenizer, const char *text, size_t *len, long *dropped) {
    char *kept = malloc(*len + 1);
    size_t n = 0;
    for (size_t i = 0; i < *len; i++) {
        if (tokenizer->kind == TOKENIZER_CHARS && tokenizer->byte_to_id[(unsigned char)text[i]] < 0)
            (*dropped)++;
        else
            kept[n++] = text[i];
    }
    *len = n;
    return kept;
}

// Appends the tokens of one field to out->ids (growing it) and returns where they start.
static long encode_field(const Tokenizer *tokenizer, const char *text, EncodedDataset *out, long *used,
                         long *capacity, char *error, size_t error_len) {
    size_t len = strlen(text);
    char *kept = known_bytes_only(tokenizer, text, &len, &out->n_dropped_bytes);
    long n;
    int *ids = tokenizer_encode(tokenizer, kept, len, &n, error, error_len);
    free(kept);
    if (ids == NULL) return -1;
    if (*used + n > *capacity) {
        *capacity = 2 * (*used + n) + 1024;
        out->ids = realloc(out->ids, sizeof(int) * (size_t)*capacity);
    }
    memcpy(out->ids + *used, ids, sizeof(int) * (size_t)n);
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
    long used = 0, capacity = 0, *starts = malloc(sizeof(long) * (size_t)(data->n_examples * MAX_TASK_FIELDS + 1));
    for (int i = 0; i < data->n_examples; i++) {
        const TaskExample *e = &data->examples[i];
        EncodedExample *x = &out->examples[i];
        x->n_fields = e->n_texts < MAX_TASK_FIELDS ? e->n_texts : MAX_TASK_FIELDS;
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
