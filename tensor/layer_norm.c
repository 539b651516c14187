#include <math.h>

#include <stddef.h>

#include "tensor/kernels.h"

// y = gain ⊙ (x − mean) · rstd + bias,  rstd = 1 / sqrt(var + eps), per row.
// mean and rstd are saved for the backward pass.
void layer_norm_forward(float *out, float *mean, float *rstd, const float *x, const float *gain,
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

// forward: in each row r, x̂_j = (x_j − mean)·rstd and out_j = gain_j·x̂_j + bias_j (j < cols), so
//   dbias_j += Σ_r dout_j   and   dgain_j += Σ_r dout_j·x̂_j   (every row used the same gain and bias),
// and, with dx̂_j = dout_j·gain_j the gradient that reaches x̂_j (g in the code) and means over the row,
//   dx_j += rstd·(dx̂_j − mean(dx̂) − x̂_j·mean(dx̂·x̂)),  one term per way x_j moves the x̂:
//     dx̂_j               directly: x_j moves its own x̂_j, with the mean and rstd held still;
//     −mean(dx̂)          through the mean: x_j raises it by 1/cols, which lowers every x̂_k by
//                        rstd/cols (mean(dx̂) is g_mean in the code);
//     −x̂_j·mean(dx̂·x̂)    through rstd: x_j changes the variance by 2·(x_j − mean)/cols, which
//                        rescales every x̂_k (mean(dx̂·x̂) is gx_mean in the code).
void layer_norm_backward(float *dx, float *dgain, float *dbias, const float *dout, const float *x,
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
