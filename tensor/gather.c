#include <string.h>

#include "tensor/kernels.h"
#include "tensor/parallel.h"

// The threads share out the rows of the lookup, and the columns of the scatter-add
// (tensor/parallel.h): a row of the table used by several ids receives their gradients
// in the order of the ids, whatever the number of threads.
typedef struct GatherJob {
    float *out;  // out, or dtable
    const float *in;  // table, or dout
    const int *ids;
    long n;
    int cols;
} GatherJob;

// Selecting row ids[i] of the table is the same as multiplying a one-hot row
// vector by it (U·We in the paper), without the multiplications by zero.
static void gather_rows_forward_part(void *context, long first, long end) {
    const GatherJob *p = context;
    for (long i = first; i < end; i++)
        memcpy(p->out + i * p->cols, p->in + (long)p->ids[i] * p->cols, sizeof(float) * (size_t)p->cols);
}

void gather_rows_forward(float *out, const float *table, const int *ids, long n, int cols) {
    parallel_for(n, (double)cols, gather_rows_forward_part, &(GatherJob){out, table, ids, n, cols});
}

// forward: out[i, :] = table[ids[i], :], so dtable[ids[i], :] += dout[i, :]: a row used several
// times (a repeated token) receives the sum of its gradients, in the order of i; a row never
// used receives nothing. Here for the columns first .. end - 1 of every row.
static void gather_rows_backward_columns(float *dtable, const float *dout, const int *ids, long n, int cols, long first,
                                         long end) {
    for (long i = 0; i < n; i++) {
        float *row = dtable + (long)ids[i] * cols;
        for (long j = first; j < end; j++) row[j] += dout[i * cols + j];
    }
}

// Items are blocks of 16 columns (64 bytes): two threads never write the same cache line
// of an aligned row.
enum { COLUMN_BLOCK = 16 };

static void gather_rows_backward_part(void *context, long first, long end) {
    const GatherJob *p = context;
    long last = end * COLUMN_BLOCK < p->cols ? end * COLUMN_BLOCK : p->cols;
    gather_rows_backward_columns(p->out, p->in, p->ids, p->n, p->cols, first * COLUMN_BLOCK, last);
}

void gather_rows_backward(float *dtable, const float *dout, const int *ids, long n, int cols) {
    long blocks = (cols + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
    parallel_for(blocks, (double)n * COLUMN_BLOCK, gather_rows_backward_part, &(GatherJob){dtable, dout, ids, n, cols});
}
