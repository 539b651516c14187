// Speed of the three matrix-product layouts on the shapes of a GPT-1 training step, on
// one thread and on two (tensor/parallel.h). Prints one line per measurement, in a
// format scripts can read:
//
//   bench: name=matmul_fwd shape=512x128x512 threads=1 gflops=NN.N
//
// A shape MxKxN names the forward product y[M,N] = x[M,K]·W[K,N]; its two backward
// products are timed on the same shape:
//   matmul_fwd        matmul_ab : y[M,N]   = x[M,K]·W[K,N]
//   matmul_bwd_input  matmul_abt: dx[M,K]  = dy[M,N]·W[K,N]ᵀ    (m=M, k=N, n=K)
//   matmul_bwd_weight matmul_atb: dW[K,N] += x[M,K]ᵀ·dy[M,N]    (m=K, k=M, n=N)
// GFLOP/s counts 2·M·K·N floating-point operations per product.
//
// The tied LM head multiplies by the token embedding transposed, so its three products
// use the layouts the other way round (shape 128x768x40478 again):
//   matmul_lm_head_fwd        matmul_abt: logits[M,N] = h[M,K]·We[N,K]ᵀ
//   matmul_lm_head_bwd_input  matmul_ab : dh[M,K]     = dlogits[M,N]·We[N,K]
//   matmul_lm_head_bwd_weight matmul_atb: dWe[N,K]   += dlogits[M,N]ᵀ·h[M,K]
//
// The attention products of one head (T=64, head size 32) are timed too, so that the
// overhead of a call on small matrices stays visible:
//   matmul_attn_scores  matmul_abt: scores[T,T] = q[T,hs]·k[T,hs]ᵀ   (shape Txhs xT)
//   matmul_attn_values  matmul_ab : y[T,hs]     = att[T,T]·v[T,hs]   (shape TxTxhs)
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tensor/matmul.h"
#include "tensor/parallel.h"
#include "tensor/rng.h"

typedef void (*MatmulFunction)(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate);

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static float *random_matrix(long count, Rng *rng) {
    float *x = malloc(sizeof(float) * (size_t)count);
    if (!x) {
        fprintf(stderr, "bench_matmul: out of memory for %ld floats\n", count);
        exit(1);
    }
    for (long i = 0; i < count; i++) x[i] = rng_uniform(rng) - 0.5f;
    return x;
}

// Times c = a·b (in the given layout) and prints its speed. The machine is shared
// (2 cores, builds may run beside us), so noise only ever makes a run slower: we
// report the best of several repeats, each long enough (>= 0.1 s) for the clock
// to be precise; all repeats together take >= 0.3 s.
static void bench(const char *name, MatmulFunction f, int m, int k, int n, bool accumulate, int shape_m, int shape_k,
                  int shape_n) {
    Rng rng;
    rng_seed(&rng, 1);
    float *a = random_matrix((long)m * k, &rng), *b = random_matrix((long)k * n, &rng);
    float *c = random_matrix((long)m * n, &rng);
    double flops = 2.0 * m * k * n;
    f(c, a, b, m, k, n, accumulate);  // warm up: caches, page faults, packing buffers
    int calls = 1;                    // calls per repeat: doubled until a repeat takes >= 0.1 s
    for (;;) {
        double start = now_seconds();
        for (int i = 0; i < calls; i++) f(c, a, b, m, k, n, accumulate);
        if (now_seconds() - start >= 0.1) break;
        calls *= 2;
    }
    double best = 1e30;
    for (int repeat = 0; repeat < 5; repeat++) {
        double start = now_seconds();
        for (int i = 0; i < calls; i++) f(c, a, b, m, k, n, accumulate);
        double seconds = (now_seconds() - start) / calls;
        if (seconds < best) best = seconds;
    }
    printf("bench: name=%s shape=%dx%dx%d threads=%d gflops=%.1f\n", name, shape_m, shape_k, shape_n,
           parallel_threads(), flops / best / 1e9);
    fflush(stdout);
    free(a), free(b), free(c);
}

// Each shape on one thread, then on two.
static void bench_threads(const char *name, MatmulFunction f, int m, int k, int n, bool accumulate, int shape_m,
                          int shape_k, int shape_n) {
    for (int threads = 1; threads <= 2; threads++) {
        parallel_set_threads(threads);
        bench(name, f, m, k, n, accumulate, shape_m, shape_k, shape_n);
    }
}

int main(void) {
    const int shapes[][3] = {{512, 128, 512}, {256, 384, 1536}, {128, 768, 3072}, {128, 768, 40478}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int M = shapes[s][0], K = shapes[s][1], N = shapes[s][2];
        bench_threads("matmul_fwd", matmul_ab, M, K, N, false, M, K, N);
        bench_threads("matmul_bwd_input", matmul_abt, M, N, K, false, M, K, N);
        bench_threads("matmul_bwd_weight", matmul_atb, K, M, N, true, M, K, N);
    }
    const int M = 128, K = 768, N = 40478;
    bench_threads("matmul_lm_head_fwd", matmul_abt, M, K, N, false, M, K, N);
    bench_threads("matmul_lm_head_bwd_input", matmul_ab, M, N, K, false, M, K, N);
    bench_threads("matmul_lm_head_bwd_weight", matmul_atb, N, M, K, true, M, K, N);
    const int T = 64, head_size = 32;
    bench_threads("matmul_attn_scores", matmul_abt, T, head_size, T, false, T, head_size, T);
    bench_threads("matmul_attn_values", matmul_ab, T, T, head_size, false, T, T, head_size);
    return 0;
}
