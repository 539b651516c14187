#include <math.h>

#include "tensor/kernels.h"
#include "tensor/parallel.h"

// The rows are independent: parallel_for gives each thread a range of them. Each kernel
// below is its loop over rows (*_rows), a part function that points it at one range,
// and the public kernel, which hands the rows to the threads.
typedef struct RowsJob {
    float *out;        // out, or dx
    const float *in;   // x, or dout
    const float *in2;  // the forward's output (backward only)
    int cols;
} RowsJob;

// Eq: softmax(x)_j = exp(x_j − max) / Σ_k exp(x_k − max). Subtracting the row maximum
// changes nothing mathematically and keeps exp from overflowing; masked entries
// (−inf) become exactly 0.
static void softmax_forward_rows(float *out, const float *x, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = out + r * cols;
        float max = -INFINITY;
        for (int j = 0; j < cols; j++) max = xr[j] > max ? xr[j] : max;  // not fmaxf: a library call
        float sum = 0.0f;
        for (int j = 0; j < cols; j++) {
            yr[j] = expf(xr[j] - max);
            sum += yr[j];
        }
        float inv = 1.0f / sum;
        for (int j = 0; j < cols; j++) yr[j] *= inv;
    }
}

// forward: out[r,j] = exp(x[r,j]) / Σ_k exp(x[r,k]), so ∂out_j/∂x_i = out_j·(δ_ij − out_i) and, row by row,
//   dx_i += Σ_j dout_j·out_j·(δ_ij − out_i) = out_i·dout_i − out_i·Σ_j dout_j·out_j
//     out_i·dout_i              the direct path: raising x_i raises its own probability;
//     −out_i·Σ_j dout_j·out_j   through the denominator: raising x_i takes probability from every entry.
// Both share the factor out_i: one dot product per row, and a masked entry (out = 0) gets nothing.
static void softmax_backward_rows(float *dx, const float *dout, const float *out, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *yr = out + r * cols, *dyr = dout + r * cols;
        float dot = 0.0f;
        for (int j = 0; j < cols; j++) dot += dyr[j] * yr[j];
        for (int j = 0; j < cols; j++) dx[r * cols + j] += yr[j] * (dyr[j] - dot);
    }
}

// log_softmax(x)_j = x_j − max − log Σ_k exp(x_k − max)
static void log_softmax_forward_rows(float *out, const float *x, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float max = -INFINITY;
        for (int j = 0; j < cols; j++) max = xr[j] > max ? xr[j] : max;  // not fmaxf: a library call
        float sum = 0.0f;
        for (int j = 0; j < cols; j++) sum += expf(xr[j] - max);
        float log_sum = logf(sum);  // subtracted after the max, so large logits keep their precision
        for (int j = 0; j < cols; j++) out[r * cols + j] = (xr[j] - max) - log_sum;
    }
}

// forward: out[r,j] = x[r,j] − log Σ_k exp(x[r,k]), so ∂out_j/∂x_i = δ_ij − softmax_i and, row by row,
//   dx_i += dout_i − softmax_i·Σ_j dout_j,  softmax_i = exp(out_i)
//     dout_i                 the direct path, from the x_j term;
//     −softmax_i·Σ_j dout_j  through the log-sum-exp, whose gradient is the softmax.
static void log_softmax_backward_rows(float *dx, const float *dout, const float *out, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *dyr = dout + r * cols;
        float total = 0.0f;
        for (int j = 0; j < cols; j++) total += dyr[j];
        for (int j = 0; j < cols; j++) dx[r * cols + j] += dyr[j] - expf(out[r * cols + j]) * total;
    }
}

static void softmax_forward_part(void *context, long first, long end) {
    const RowsJob *j = context;
    softmax_forward_rows(j->out + first * j->cols, j->in + first * j->cols, end - first, j->cols);
}

static void softmax_backward_part(void *context, long first, long end) {
    const RowsJob *j = context;
    long at = first * j->cols;
    softmax_backward_rows(j->out + at, j->in + at, j->in2 + at, end - first, j->cols);
}

static void log_softmax_forward_part(void *context, long first, long end) {
    const RowsJob *j = context;
    log_softmax_forward_rows(j->out + first * j->cols, j->in + first * j->cols, end - first, j->cols);
}

static void log_softmax_backward_part(void *context, long first, long end) {
    const RowsJob *j = context;
    long at = first * j->cols;
    log_softmax_backward_rows(j->out + at, j->in + at, j->in2 + at, end - first, j->cols);
}

// The work per element, in rough floating-point operations: an expf counts for about 10.
void softmax_forward(float *out, const float *x, long rows, int cols) {
    parallel_for(rows, 14.0 * cols, softmax_forward_part, &(RowsJob){out, x, NULL, cols});
}

void softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols) {
    parallel_for(rows, 4.0 * cols, softmax_backward_part, &(RowsJob){dx, dout, out, cols});
}

void log_softmax_forward(float *out, const float *x, long rows, int cols) {
    parallel_for(rows, 14.0 * cols, log_softmax_forward_part, &(RowsJob){out, x, NULL, cols});
}

void log_softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols) {
    parallel_for(rows, 14.0 * cols, log_softmax_backward_part, &(RowsJob){dx, dout, out, cols});
}
