#include <math.h>

#include "tensor/kernels.h"

// Eq: softmax(x)_j = exp(x_j − max) / Σ_k exp(x_k − max). Subtracting the row maximum
// changes nothing mathematically and keeps exp from overflowing; masked entries
// (−inf) become exactly 0.
void softmax_forward(float *out, const float *x, long rows, int cols) {
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
void softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *yr = out + r * cols, *dyr = dout + r * cols;
        float dot = 0.0f;
        for (int j = 0; j < cols; j++) dot += dyr[j] * yr[j];
        for (int j = 0; j < cols; j++) dx[r * cols + j] += yr[j] * (dyr[j] - dot);
    }
}

// log_softmax(x)_j = x_j − max − log Σ_k exp(x_k − max)
void log_softmax_forward(float *out, const float *x, long rows, int cols) {
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
void log_softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *dyr = dout + r * cols;
        float total = 0.0f;
        for (int j = 0; j < cols; j++) total += dyr[j];
        for (int j = 0; j < cols; j++) dx[r * cols + j] += dyr[j] - expf(out[r * cols + j]) * total;
    }
}
