// The matrix products by their definition, c[i][j] = Σ_p a[i][p]·b[p][j]: one element
// of c at a time, its sum in increasing p. tensor/matmul.c computes the same sums in a
// cache-blocked order that is many times faster; this file is the one to read first,
// to step through in gdb (gpt --reference-kernels, or `call set_reference_kernels(1)`),
// and the oracle the tests hold the fast kernel to.
#include "tensor/matmul.h"

static bool use_reference = false;

void set_reference_kernels(bool on) { use_reference = on; }

bool reference_kernels(void) { return use_reference; }

// c[i][j] = Σ_p a[i][p] · b[p][j], or c[i][j] += that sum when accumulating.
void matmul_reference(float *c, const float *a, const float *b, int m, int k, int n, MatmulLayout layout,
                      bool accumulate) {
    bool a_transposed = layout == MATMUL_ATB, b_transposed = layout == MATMUL_ABT;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            float sum = 0.0f;
            for (int p = 0; p < k; p++) {
                float a_ip = a_transposed ? a[(long)p * m + i] : a[(long)i * k + p];  // a stored [k,m] or [m,k]
                float b_pj = b_transposed ? b[(long)j * k + p] : b[(long)p * n + j];  // b stored [n,k] or [k,n]
                sum += a_ip * b_pj;
            }
            c[(long)i * n + j] = accumulate ? c[(long)i * n + j] + sum : sum;
        }
}
