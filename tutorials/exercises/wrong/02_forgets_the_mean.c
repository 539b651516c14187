// Exercise 02, a known wrong solution: dx leaves out the path through the mean (the − mean(dx̂) term).
// Replaces: tensor/layer_norm.c layer_norm_backward
#include <stddef.h>

#include "tensor/kernels.h"

void layer_norm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
                         const float *mean, const float *rstd, const float *gain, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *dyr = dout + r * cols;
        float gx_mean = 0.0f;
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            gx_mean += dyr[j] * gain[j] * xhat / (float)cols;
            if (dgain != NULL) dgain[j] += dyr[j] * xhat;
            if (dbias != NULL) dbias[j] += dyr[j];
        }
        if (dx == NULL) continue;
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            dx[r * cols + j] += rstd[r] * (dyr[j] * gain[j] - xhat * gx_mean);
        }
    }
}
