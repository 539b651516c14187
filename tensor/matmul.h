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
// the same order: the same inputs give bit-identical results in every layout, on every
// call and with any number of threads (tensor/parallel.h: the threads share out whole
// elements of c, never parts of one sum). They use static scratch buffers, one pair per
// thread, so they must be called from one thread at a time (the kernels are).
#ifndef GPT1_MATMUL_H
#define GPT1_MATMUL_H

#include <stdbool.h>

void matmul_ab(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate);
void matmul_abt(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate);
void matmul_atb(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate);

// `batches` independent products of the same sizes, stored one after the other: the i-th
// is c_i = a_i·b_i with a_i at a + i·m·k, b_i at b + i·k·n and c_i at c + i·m·n (the
// attention of every sequence and head). The threads share out whole products.
void matmul_ab_batched(float *c, const float *a, const float *b, long batches, int m, int k, int n, bool accumulate);
void matmul_abt_batched(float *c, const float *a, const float *b, long batches, int m, int k, int n,
                        bool accumulate);
void matmul_atb_batched(float *c, const float *a, const float *b, long batches, int m, int k, int n,
                        bool accumulate);

// The same products as the definition writes them, a triple loop (tensor/matmul_reference.c):
// the readable version, to step through in a debugger and to test the fast one against.
// Its sums run over k in one pass, so they may differ from the fast kernel's in the last
// bits when k > 256 (the fast one sums blocks of 256 values of k, then adds the blocks).
typedef enum MatmulLayout {
    MATMUL_AB,   // c[m,n] = a[m,k] · b[k,n]
    MATMUL_ABT,  // c[m,n] = a[m,k] · b[n,k]ᵀ
    MATMUL_ATB,  // c[m,n] = a[k,m]ᵀ · b[k,n]
} MatmulLayout;
void matmul_reference(float *c, const float *a, const float *b, int m, int k, int n, MatmulLayout layout,
                      bool accumulate);
// With true, every matmul_* call above runs matmul_reference instead, on one thread
// (`gpt --reference-kernels`, or `call set_reference_kernels(1)` in gdb). Off by default.
void set_reference_kernels(bool on);
bool reference_kernels(void);

#endif
