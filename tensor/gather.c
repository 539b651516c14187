#include <string.h>

#include "tensor/kernels.h"

// Selecting row ids[i] of the table is the same as multiplying a one-hot row
// vector by it (U·We in the paper), without the multiplications by zero.
void gather_rows_forward(float *out, const float *table, const int *ids, long n, int cols) {
    for (long i = 0; i < n; i++) memcpy(out + i * cols, table + (long)ids[i] * cols, sizeof(float) * (size_t)cols);
}

// forward: out[i, :] = table[ids[i], :], so dtable[ids[i], :] += dout[i, :]: a row used several
// times (a repeated token) receives the sum of its gradients, a row never used receives nothing
void gather_rows_backward(float *dtable, const float *dout, const int *ids, long n, int cols) {
    for (long i = 0; i < n; i++) {
        float *row = dtable + (long)ids[i] * cols;
        for (int j = 0; j < cols; j++) row[j] += dout[i * cols + j];
    }
}
