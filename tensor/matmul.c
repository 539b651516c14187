#include "tensor/matmul.h"

#include <string.h>

// Plain i-k-j loops: the innermost loop walks rows of b and c contiguously.
void matmul_ab(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate) {
    if (!accumulate) memset(c, 0, sizeof(float) * (size_t)m * (size_t)n);
    for (int i = 0; i < m; i++)
        for (int p = 0; p < k; p++) {
            float aip = a[(long)i * k + p];
            for (int j = 0; j < n; j++) c[(long)i * n + j] += aip * b[(long)p * n + j];
        }
}

void matmul_abt(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            float sum = 0.0f;
            for (int p = 0; p < k; p++) sum += a[(long)i * k + p] * b[(long)j * k + p];
            c[(long)i * n + j] = accumulate ? c[(long)i * n + j] + sum : sum;
        }
}

void matmul_atb(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate) {
    if (!accumulate) memset(c, 0, sizeof(float) * (size_t)m * (size_t)n);
    for (int p = 0; p < k; p++)
        for (int i = 0; i < m; i++) {
            float api = a[(long)p * m + i];
            for (int j = 0; j < n; j++) c[(long)i * n + j] += api * b[(long)p * n + j];
        }
}
