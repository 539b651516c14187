#include <math.h>
#include <string.h>

#include <stddef.h>

#include "tensor/kernels.h"
#include "tensor/parallel.h"

// The copies between head layouts and the column slices are shared out among the
// threads by sequence (heads) or by row (columns), when they are large (tensor/parallel.h).
typedef struct CopyJob {
    float *out;  // out or dx
    const float *in;  // x or dout
    int t, heads, hd;  // heads
    int cols, start, count;  // columns
} CopyJob;

// Eq: mask(S)_ij = S_ij for j <= i, −∞ for j > i;  S [batches, t, t]
// Position i may look at positions j <= i only: the future is set to -inf, which
// the softmax turns into a weight of exactly 0.
void causal_mask_forward(float *out, const float *x, long batches, int t) {
    for (long b = 0; b < batches; b++)
        for (int i = 0; i < t; i++) {
            const float *xr = x + (b * t + i) * t;
            float *yr = out + (b * t + i) * t;
            for (int j = 0; j < t; j++) yr[j] = j <= i ? xr[j] : -INFINITY;
        }
}

// forward: out[b,i,j] = x[b,i,j] for j <= i and −∞ for j > i, so dx[b,i,j] += dout[b,i,j] for
// j <= i only: the masked (future) entries do not depend on x
void causal_mask_backward(float *dx, const float *dout, long batches, int t) {
    for (long b = 0; b < batches; b++)
        for (int i = 0; i < t; i++)
            for (int j = 0; j <= i; j++) dx[(b * t + i) * t + j] += dout[(b * t + i) * t + j];
}

// x[b, s, h·hd + i] is head h's feature i at position s; out[b, h, s, i] holds it.
static void split_heads_forward_sequences(float *out, const float *x, int b, int t, int heads, int hd) {
    for (int n = 0; n < b; n++)
        for (int s = 0; s < t; s++)
            for (int h = 0; h < heads; h++)
                memcpy(out + (((long)n * heads + h) * t + s) * hd, x + ((long)n * t + s) * heads * hd + h * hd,
                       sizeof(float) * (size_t)hd);
}

// forward: out[n,h,s,i] = x[n,s,h·hd + i], so dx[n,s,h·hd + i] += dout[n,h,s,i]
static void split_heads_backward_sequences(float *dx, const float *dout, int b, int t, int heads, int hd) {
    for (int n = 0; n < b; n++)
        for (int s = 0; s < t; s++)
            for (int h = 0; h < heads; h++) {
                float *d = dx + ((long)n * t + s) * heads * hd + h * hd;
                const float *g = dout + (((long)n * heads + h) * t + s) * hd;
                for (int i = 0; i < hd; i++) d[i] += g[i];
            }
}

static void merge_heads_forward_sequences(float *out, const float *x, int b, int t, int heads, int hd) {
    for (int n = 0; n < b; n++)
        for (int h = 0; h < heads; h++)
            for (int s = 0; s < t; s++)
                memcpy(out + ((long)n * t + s) * heads * hd + h * hd, x + (((long)n * heads + h) * t + s) * hd,
                       sizeof(float) * (size_t)hd);
}

// forward: out[n,s,h·hd + i] = x[n,h,s,i], so dx[n,h,s,i] += dout[n,s,h·hd + i]
static void merge_heads_backward_sequences(float *dx, const float *dout, int b, int t, int heads, int hd) {
    for (int n = 0; n < b; n++)
        for (int h = 0; h < heads; h++)
            for (int s = 0; s < t; s++) {
                float *d = dx + (((long)n * heads + h) * t + s) * hd;
                const float *g = dout + ((long)n * t + s) * heads * hd + h * hd;
                for (int i = 0; i < hd; i++) d[i] += g[i];
            }
}

// Sequences first .. end - 1: each is t·heads·hd values in either layout.
typedef void HeadsCopy(float *out, const float *in, int b, int t, int heads, int hd);

static void heads_part(HeadsCopy *copy, const CopyJob *p, long first, long end) {
    long at = first * p->t * p->heads * p->hd;
    copy(p->out + at, p->in + at, (int)(end - first), p->t, p->heads, p->hd);
}

static void split_heads_forward_part(void *context, long first, long end) {
    heads_part(split_heads_forward_sequences, context, first, end);
}
static void split_heads_backward_part(void *context, long first, long end) {
    heads_part(split_heads_backward_sequences, context, first, end);
}
static void merge_heads_forward_part(void *context, long first, long end) {
    heads_part(merge_heads_forward_sequences, context, first, end);
}
static void merge_heads_backward_part(void *context, long first, long end) {
    heads_part(merge_heads_backward_sequences, context, first, end);
}

void split_heads_forward(float *out, const float *x, int b, int t, int heads, int hd) {
    CopyJob job = {.out = out, .in = x, .t = t, .heads = heads, .hd = hd};
    parallel_for(b, (double)t * heads * hd, split_heads_forward_part, &job);
}

void split_heads_backward(float *dx, const float *dout, int b, int t, int heads, int hd) {
    CopyJob job = {.out = dx, .in = dout, .t = t, .heads = heads, .hd = hd};
    parallel_for(b, (double)t * heads * hd, split_heads_backward_part, &job);
}

void merge_heads_forward(float *out, const float *x, int b, int t, int heads, int hd) {
    CopyJob job = {.out = out, .in = x, .t = t, .heads = heads, .hd = hd};
    parallel_for(b, (double)t * heads * hd, merge_heads_forward_part, &job);
}

void merge_heads_backward(float *dx, const float *dout, int b, int t, int heads, int hd) {
    CopyJob job = {.out = dx, .in = dout, .t = t, .heads = heads, .hd = hd};
    parallel_for(b, (double)t * heads * hd, merge_heads_backward_part, &job);
}

void transpose_forward(float *out, const float *x, long batches, int m, int n) {
    for (long b = 0; b < batches; b++)
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) out[(b * n + j) * m + i] = x[(b * m + i) * n + j];
}

// forward: out[b,j,i] = x[b,i,j], so dx[b,i,j] += dout[b,j,i]
void transpose_backward(float *dx, const float *dout, long batches, int m, int n) {
    for (long b = 0; b < batches; b++)
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) dx[(b * m + i) * n + j] += dout[(b * n + j) * m + i];
}

static void columns_forward_rows(float *out, const float *x, long rows, int cols, int start, int count) {
    for (long r = 0; r < rows; r++) memcpy(out + r * count, x + r * cols + start, sizeof(float) * (size_t)count);
}

// forward: out[r,j] = x[r, start + j], so dx[r, start + j] += dout[r,j]; the other columns get nothing
static void columns_backward_rows(float *dx, const float *dout, long rows, int cols, int start, int count) {
    for (long r = 0; r < rows; r++)
        for (int j = 0; j < count; j++) dx[r * cols + start + j] += dout[r * count + j];
}

static void columns_forward_part(void *context, long first, long end) {
    const CopyJob *p = context;
    columns_forward_rows(p->out + first * p->count, p->in + first * p->cols, end - first, p->cols, p->start, p->count);
}

static void columns_backward_part(void *context, long first, long end) {
    const CopyJob *p = context;
    columns_backward_rows(p->out + first * p->cols, p->in + first * p->count, end - first, p->cols, p->start,
                          p->count);
}

void columns_forward(float *out, const float *x, long rows, int cols, int start, int count) {
    CopyJob job = {.out = out, .in = x, .cols = cols, .start = start, .count = count};
    parallel_for(rows, (double)count, columns_forward_part, &job);
}

void columns_backward(float *dx, const float *dout, long rows, int cols, int start, int count) {
    CopyJob job = {.out = dx, .in = dout, .cols = cols, .start = start, .count = count};
    parallel_for(rows, (double)count, columns_backward_part, &job);
}

void concat_forward(float *out, const float *a, const float *b, long rows, int a_cols, int b_cols) {
    int cols = a_cols + b_cols;
    for (long r = 0; r < rows; r++) {
        memcpy(out + r * cols, a + r * a_cols, sizeof(float) * (size_t)a_cols);
        memcpy(out + r * cols + a_cols, b + r * b_cols, sizeof(float) * (size_t)b_cols);
    }
}

// forward: out[r,j] = a[r,j] for j < a_cols and b[r, j − a_cols] after, so da[r,j] += dout[r,j]
// and db[r,j] += dout[r, a_cols + j]
void concat_backward(float *da, float *db, const float *dout, long rows, int a_cols, int b_cols) {
    int cols = a_cols + b_cols;
    for (long r = 0; r < rows; r++) {
        if (da != NULL)
            for (int j = 0; j < a_cols; j++) da[r * a_cols + j] += dout[r * cols + j];
        if (db != NULL)
            for (int j = 0; j < b_cols; j++) db[r * b_cols + j] += dout[r * cols + a_cols + j];
    }
}
