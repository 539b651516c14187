#include <math.h>

#include <stddef.h>

#include "tensor/kernels.h"

// y = gain ⊙ (x − mean) · rstd + bias,  rstd = 1 / sqrt(var + eps), per row.
// mean and rstd are saved for the backward pass.
void layernorm_forward(float *out, float *mean, float *rstd, const float *x, const float *gain,
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

// With x̂ = (x − mean)·rstd and g = dy ⊙ gain:
//   dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)),  dgain += dy ⊙ x̂,  dbias += dy.
void layernorm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
                        const float *mean, const float *rstd, const float *gain, long rows, int cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *dyr = dout + r * cols;
        float g_mean = 0.0f, gx_mean = 0.0f;
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            float g = dyr[j] * gain[j];
            g_mean += g;
            gx_mean += g * xhat;
            if (dgain != NULL) dgain[j] += dyr[j] * xhat;
            if (dbias != NULL) dbias[j] += dyr[j];
        }
        g_mean /= (float)cols;
        gx_mean /= (float)cols;
        if (dx == NULL) continue;
        for (int j = 0; j < cols; j++) {
            float xhat = (xr[j] - mean[r]) * rstd[r];
            dx[r * cols + j] += rstd[r] * (dyr[j] * gain[j] - g_mean - xhat * gx_mean);
        }
    }
}
