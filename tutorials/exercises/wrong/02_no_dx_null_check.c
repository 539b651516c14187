// Exercise 02, a known wrong solution: it writes to dx without checking for NULL (x needs no gradient).
// Replaces: tensor/layer_norm.c layer_norm_backward
#include <stddef.h>

#include "tensor/kernels.h"

void layer_norm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
                         const float *mean, const float *rstd, const float *gain, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *dyr = dout + r * cols;
        float g_mean = 0.0f, gx_mean = 0.0f;
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r], g = dyr[j] * gain[j];
            g_mean += g / (float)cols;
            gx_mean += g * xhat / (float)cols;
            if (dgain != NULL) dgain[j] += dyr[j] * xhat;
            if (dbias != NULL) dbias[j] += dyr[j];
        }
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            dx[r * cols + j] += rstd[r] * (dyr[j] * gain[j] - g_mean - xhat * gx_mean);
        }
    }
}
