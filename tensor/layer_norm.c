#include <math.h>

#include <stddef.h>

#include "tensor/kernels.h"
#include "tensor/parallel.h"

// The rows are independent, except in the sums over rows of the backward (dgain, dbias):
// the threads split those by columns, each column summed over the rows in order
// (tensor/parallel.h). The arrays of one call, for the part functions:
typedef struct LayerNormJob {
    float *out, *mean, *rstd;              // forward; out is dx in the backward
    float *dgain, *dbias;                  // backward
    const float *x, *dout, *gain, *bias;
    const float *saved_mean, *saved_rstd;  // backward
    long rows;
    int cols;
} LayerNormJob;

// y = gain ⊙ (x − mean) · rstd + bias,  rstd = 1 / sqrt(var + eps), per row.
// mean and rstd are saved for the backward pass.
static void layer_norm_forward_rows(float *out, float *mean, float *rstd, const float *x, const float *gain,
                                    const float *bias, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float m = 0.0f;
        for (int j = 0; j < cols; j++) m += xr[j];
        m /= (float)cols;
        float var = 0.0f;
        for (int j = 0; j < cols; j++) var += (xr[j] - m) * (xr[j] - m);
        var /= (float)cols;
        float s = 1.0f / sqrtf(var + LAYER_NORM_EPS);
        for (int j = 0; j < cols; j++) out[r * cols + j] = gain[j] * ((xr[j] - m) * s) + bias[j];
        mean[r] = m;
        rstd[r] = s;
    }
}

static void layer_norm_forward_part(void *context, long first, long end) {
    const LayerNormJob *p = context;
    long at = first * p->cols;
    layer_norm_forward_rows(p->out + at, p->mean + first, p->rstd + first, p->x + at, p->gain, p->bias, end - first,
                            p->cols);
}

void layer_norm_forward(float *out, float *mean, float *rstd, const float *x, const float *gain,
                        const float *bias, long rows, int cols) {
    LayerNormJob job = {.out = out, .mean = mean, .rstd = rstd, .x = x, .gain = gain, .bias = bias, .cols = cols};
    parallel_for(rows, 8.0 * cols, layer_norm_forward_part, &job);
}

// forward: in each row r, x̂_j = (x_j − mean)·rstd and out_j = gain_j·x̂_j + bias_j (j < cols), so
//   dbias_j += Σ_r dout_j   and   dgain_j += Σ_r dout_j·x̂_j   (every row used the same gain and bias),
// and, with dx̂_j = dout_j·gain_j the gradient that reaches x̂_j (g in the code) and means over the row,
//   dx_j += rstd·(dx̂_j − mean(dx̂) − x̂_j·mean(dx̂·x̂)),  one term per way x_j moves the x̂:
//     dx̂_j               directly: x_j moves its own x̂_j, with the mean and rstd held still;
//     −mean(dx̂)          through the mean: x_j raises it by 1/cols, which lowers every x̂_k by
//                        rstd/cols (mean(dx̂) is g_mean in the code);
//     −x̂_j·mean(dx̂·x̂)    through rstd: x_j changes the variance by 2·(x_j − mean)/cols, which
//                        rescales every x̂_k (mean(dx̂·x̂) is gx_mean in the code).
// dx, row by row:
static void layer_norm_backward_input_rows(float *dx, const float *dout, const float *x, const float *mean,
                                           const float *rstd, const float *gain, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *dyr = dout + r * cols;
        float g_mean = 0.0f, gx_mean = 0.0f;
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            float g = dyr[j] * gain[j];
            g_mean += g;
            gx_mean += g * xhat;
        }
        g_mean /= (float)cols;
        gx_mean /= (float)cols;
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            dx[r * cols + j] += rstd[r] * (dyr[j] * gain[j] - g_mean - xhat * gx_mean);
        }
    }
}

// dgain and dbias, summed over all the rows in order, for the columns first .. end - 1.
static void layer_norm_backward_gain_columns(float *dgain, float *dbias, const float *dout, const float *x,
                                             const float *mean, const float *rstd, long rows, int cols, long first,
                                             long end) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *dyr = dout + r * cols;
        for (long j = first; j < end; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            if (dgain != NULL) dgain[j] += dyr[j] * xhat;
            if (dbias != NULL) dbias[j] += dyr[j];
        }
    }
}

static void layer_norm_backward_input_part(void *context, long first, long end) {
    const LayerNormJob *p = context;
    long at = first * p->cols;
    layer_norm_backward_input_rows(p->out + at, p->dout + at, p->x + at, p->saved_mean + first, p->saved_rstd + first,
                                   p->gain, end - first, p->cols);
}

static void layer_norm_backward_gain_part(void *context, long first, long end) {
    const LayerNormJob *p = context;
    layer_norm_backward_gain_columns(p->dgain, p->dbias, p->dout, p->x, p->saved_mean, p->saved_rstd, p->rows,
                                     p->cols, first, end);
}

void layer_norm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
                         const float *mean, const float *rstd, const float *gain, long rows, int cols) {
    LayerNormJob job = {.out = dx, .dgain = dgain, .dbias = dbias, .x = x, .dout = dout, .gain = gain,
                        .saved_mean = mean, .saved_rstd = rstd, .rows = rows, .cols = cols};
    if (dx != NULL) parallel_for(rows, 10.0 * cols, layer_norm_backward_input_part, &job);
    if (dgain != NULL || dbias != NULL) parallel_for(cols, 4.0 * (double)rows, layer_norm_backward_gain_part, &job);
}
