#include "gpt/task_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor/kernels.h"

int task_views(TaskKind task, const EncodedExample *example) {
    switch (task) {
    case TASK_SIMILAR: return 2;
    case TASK_CHOICE: return example->n_fields - 1;
    default: return 1;
    }
}

// <s> text <e>, <s> a $ b <e>, and for each option <s> context $ option <e>.
int task_longest_sequence(TaskKind task, const EncodedExample *examples, int n, int n_ctx) {
    long longest = 1;
    for (int i = 0; i < n; i++) {
        const EncodedExample *e = &examples[i];
        long length = 2;  // <s> and <e>
        if (task == TASK_CHOICE) {
            long option = 0;
            for (int k = 1; k < e->n_fields; k++) option = e->fields[k].n > option ? e->fields[k].n : option;
            length += 1 + e->fields[0].n + option;
        } else {
            for (int f = 0; f < e->n_fields; f++) length += e->fields[f].n;
            length += e->n_fields - 1;  // the delimiters
        }
        longest = length > longest ? length : longest;
    }
    return longest < n_ctx ? (int)longest : n_ctx;
}

static void *checked_calloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) {
        fprintf(stderr, "task_batch: out of memory\n");
        abort();
    }
    return p;
}

void task_batch_init(TaskBatch *b, TaskKind task, int max_sequences, int n_ctx) {
    memset(b, 0, sizeof *b);
    b->task = task;
    b->capacity = max_sequences;
    b->n_ctx = n_ctx;
    b->tokens = checked_calloc((size_t)max_sequences * (size_t)n_ctx, sizeof(int));
    b->lm_targets = checked_calloc((size_t)max_sequences * (size_t)n_ctx, sizeof(int));
    b->extract_rows = checked_calloc((size_t)max_sequences, sizeof(int));
    b->lengths = checked_calloc((size_t)max_sequences, sizeof(int));
    b->labels = checked_calloc((size_t)max_sequences, sizeof(int));
    b->targets = checked_calloc((size_t)max_sequences, sizeof(float));
}

void task_batch_free(TaskBatch *b) {
    free(b->tokens), free(b->lm_targets), free(b->extract_rows), free(b->lengths), free(b->labels), free(b->targets);
    memset(b, 0, sizeof *b);
}

// Writes the example's sequences at rows first.. of a [capacity, n_ctx] scratch layout.
static void write_sequences(TaskBatch *b, TaskTokens t, const EncodedExample *e, int first, int *scratch) {
    int *row = scratch + (long)first * b->n_ctx;
    const TokenSpan *f = e->fields;
    switch (b->task) {
    case TASK_SIMILAR:
        b->lengths[first] = b->lengths[first + 1] = similarity_inputs(t, f[0], f[1], b->n_ctx, row, row + b->n_ctx);
        break;
    case TASK_CHOICE: multiple_choice_inputs(t, f[0], f + 1, e->n_fields - 1, b->n_ctx, row, b->lengths + first); break;
    case TASK_ENTAIL: b->lengths[first] = entailment_input(t, f[0], f[1], b->n_ctx, row); break;
    default: b->lengths[first] = classification_input(t, f[0], b->n_ctx, row); break;
    }
}

void task_batch_fill(TaskBatch *b, TaskTokens t, const EncodedExample *examples, int n) {
    b->n_examples = n;
    b->views = task_views(b->task, &examples[0]);
    b->n_sequences = n * b->views;
    if (b->n_sequences > b->capacity) {
        fprintf(stderr, "task_batch_fill: %d sequences do not fit the batch of %d\n", b->n_sequences, b->capacity);
        abort();
    }
    int *scratch = b->lm_targets;  // free until the targets are written below
    for (int i = 0; i < n; i++) {
        write_sequences(b, t, &examples[i], i * b->views, scratch);
        b->labels[i] = examples[i].label;
        b->targets[i] = examples[i].target;
    }
    b->seq = 1;
    for (int s = 0; s < b->n_sequences; s++)
        if (b->lengths[s] > b->seq) b->seq = b->lengths[s];
    for (int s = 0; s < b->n_sequences; s++) {
        int *row = b->tokens + (long)s * b->seq;
        memcpy(row, scratch + (long)s * b->n_ctx, sizeof(int) * (size_t)b->lengths[s]);
        memset(row + b->lengths[s], 0, sizeof(int) * (size_t)(b->seq - b->lengths[s]));
        b->extract_rows[s] = s * b->seq + b->lengths[s] - 1;
    }
    for (int s = 0; s < b->n_sequences; s++)
        for (int j = 0; j < b->seq; j++)
            b->lm_targets[(long)s * b->seq + j] = j + 1 < b->lengths[s] ? b->tokens[(long)s * b->seq + j + 1]
                                                                         : CROSS_ENTROPY_IGNORE;
}
