// Matrix products, the only kernels where the time of a training step goes.
// Three layouts cover the forward pass and both backward products of every
// matmul in the model (y = x·W, scores = Q·Kᵀ, logits = h·Weᵀ, ...):
//
//   matmul_ab : c[m,n] = a[m,k] · b[k,n]      forward of x·W;    dx = dy·W for a·bᵀ
//   matmul_abt: c[m,n] = a[m,k] · b[n,k]ᵀ     forward of Q·Kᵀ;   dx = dy·Wᵀ for x·W
//   matmul_atb: c[m,n] = a[k,m]ᵀ · b[k,n]     weight gradients:  dW = xᵀ·dy
//
// All matrices are contiguous and row-major. With accumulate = true the product is
// added to c (backward passes accumulate gradients); otherwise c is overwritten without
// being read (it may hold garbage). c must not overlap a or b.
//
// The three share one blocked kernel (tensor/matmul.c), so they compute the same sums in
// the same order: the same inputs give bit-identical results in every layout and on
// every call. They use static scratch buffers, so they are not thread-safe.
#ifndef GPT1_MATMUL_H
#define GPT1_MATMUL_H

#include <stdbool.h>

void matmul_ab(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate);
void matmul_abt(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate);
void matmul_atb(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate);

#endif
