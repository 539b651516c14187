#include "tensor/kernels.h"
#include "tensor/parallel.h"

float sum_forward(const float *x, long n) {
    double total = 0.0;
    for (long i = 0; i < n; i++) total += x[i];
    return (float)total;
}

// forward: out = Σ_i x[i], so dx[i] += dout for every i
void sum_backward(float *dx, float dout, long n) {
    for (long i = 0; i < n; i++) dx[i] += dout;
}

int argmax(const float *x, int n) {
    int best = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

// Σ x[i]² is cut into blocks of SUM_BLOCK values, each summed in order, and the blocks'
// sums are added in order on the calling thread, BLOCKS_AT_ONCE of them at a time: the
// threads share out the blocks, and the sum is the same with any number of threads.
enum { SUM_BLOCK = 8192, BLOCKS_AT_ONCE = 256 };

typedef struct SquaresJob {
    const float *x;
    long n;               // values from x on
    double *block_sums;   // [BLOCKS_AT_ONCE]
} SquaresJob;

static void sum_of_squares_part(void *context, long first, long end) {
    const SquaresJob *p = context;
    for (long b = first; b < end; b++) {
        long stop = (b + 1) * SUM_BLOCK < p->n ? (b + 1) * SUM_BLOCK : p->n;
        double total = 0.0;
        for (long i = b * SUM_BLOCK; i < stop; i++) total += (double)p->x[i] * p->x[i];
        p->block_sums[b] = total;
    }
}

double sum_of_squares(const float *x, long n) {
    double total = 0.0, block_sums[BLOCKS_AT_ONCE];
    for (long start = 0; start < n; start += (long)SUM_BLOCK * BLOCKS_AT_ONCE) {
        long blocks = (n - start + SUM_BLOCK - 1) / SUM_BLOCK;
        if (blocks > BLOCKS_AT_ONCE) blocks = BLOCKS_AT_ONCE;
        SquaresJob job = {x + start, n - start, block_sums};
        parallel_for(blocks, 2.0 * SUM_BLOCK, sum_of_squares_part, &job);
        for (long b = 0; b < blocks; b++) total += block_sums[b];
    }
    return total;
}
