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

// dx_j = y_j · (dy_j − Σ_k dy_k·y_k)
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

// dx_j = dy_j − softmax_j · Σ_k dy_k, with softmax_j = exp(out_j)
void log_softmax_backward(float *dx, const float *dout, const float *out, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *dyr = dout + r * cols;
        float total = 0.0f;
        for (int j = 0; j < cols; j++) total += dyr[j];
        for (int j = 0; j < cols; j++) dx[r * cols + j] += dyr[j] - expf(out[r * cols + j]) * total;
    }
}
