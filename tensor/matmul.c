// Matrix products, blocked for the caches and the vector registers.
//
// A plain triple loop is limited by memory, not by arithmetic: it loads an element of
// a or b for every multiply-add. A core with AVX-512 does two 16-wide fused multiply-adds
// per cycle but loads far fewer fresh cache lines, so the fast way reuses every loaded
// number many times. The classic scheme (Goto & van de Geijn, "Anatomy of high-performance
// matrix multiplication", 2008; BLIS) does it at three levels:
//
//   registers: a micro-kernel computes a small MR x NR tile of c, keeping the whole tile
//              in vector registers while it walks k: each step loads MR numbers of a and
//              NR numbers of b and does MR*NR multiply-adds with them.
//   L1/L2:     the micro-kernel reads its MR rows of a and NR columns of b from "packed"
//              copies, laid out in exactly the order it reads them: one contiguous
//              stream each, no strides, padded with zeros to whole tiles.
//   L2/L3:     the packed copies are blocks (KC deep, MC rows of a, NC columns of b)
//              small enough to stay in cache while they are reused.
//
// Packing is also what lets the three layouts share everything else: only the packing
// functions know whether a or b is stored transposed.
//
// The order of the sums never depends on the layout, the alignment of the arrays or the
// position of an element in its tile: every element of c is
// c + (sum over the first KC values of k) + (sum over the next KC) + ..., each partial sum
// in increasing k. The same inputs give bit-identical outputs.
//
// With more than one thread (tensor/parallel.h), a product is cut into whole column
// panels or whole row tiles of c, and a batch of products into whole products, one part
// per thread with its own packing buffers (multiply_on_threads, multiply_batched). No
// sum is ever split between threads, so the results do not depend on their number.
//
// `make bench` (tests/bench/bench_matmul.c) measures the speed on the model's shapes.
#include "tensor/matmul.h"

#include "tensor/parallel.h"

// The block sizes, chosen for AVX-512 (32 vector registers of 16 floats):
//   MR x NR = 6 x 64: the tile of c is 24 registers of sums, plus 4 for a row of b and
//                     1 for a broadcast value of a: 29 of the 32. Each step of k
//                     does 24 multiply-adds of 16 floats for 6 + 4 loads. (With AVX2
//                     only, 16 registers of 8 floats, 6 x 16 would be the equivalent.)
//   KC = 256:         the depth of a packed panel; KC x NR floats of b (64 KB) are reused
//                     by every tile of a block, from L1/L2.
//   MC = 96:          rows of a per block: MC x KC floats (96 KB) stay in L2.
//   NC = 2048:        columns of b per block: KC x NC floats (2 MB) stay in L3.
// Other values within a factor of two measured about as fast on the benchmark shapes.
enum { MR = 6, NR = 64, KC = 256, MC = 96, NC = 2048 };

// Each thread packs into its own pair of buffers (a product cut into parts for the
// threads uses buffers[part]); they are static, so that no call allocates and nothing
// leaks. Memory is only used for the threads that run.
typedef struct PackingBuffers {
    _Alignas(64) float a[MC * KC];
    _Alignas(64) float b[KC * NC];
} PackingBuffers;
static PackingBuffers buffers[PARALLEL_MAX_THREADS];

// A matrix operand as stored in memory: element (row, col) is at
// data[row * row_stride + col * col_stride]. A transposed operand just swaps the strides;
// one of the two is always 1 (the matrices are contiguous).
typedef struct Operand {
    const float *data;
    long row_stride, col_stride;
} Operand;

// A panel holds `width` vectors of length kc (MR rows of a, or NR columns of b)
// interleaved: panel[p * width + v] is the p-th value of vector v, so that one step of
// the micro-kernel reads `width` consecutive floats. Vectors count..width-1 are zeros:
// the micro-kernel always works on whole tiles. In src, the p-th value of vector v is
// src[v * vector_stride + p * step], and one of the two strides is 1.
static void pack_panel(float *panel, const float *src, long vector_stride, long step, int count, int kc, int width) {
    if (vector_stride == 1) {  // the vectors' values at one p are contiguous: copy them
        for (int p = 0; p < kc; p++) {
            for (int v = 0; v < count; v++) panel[p * width + v] = src[p * step + v];
            for (int v = count; v < width; v++) panel[p * width + v] = 0.0f;
        }
        return;
    }
    // Each vector is contiguous (step == 1): transpose. Going 16 values of p (one cache
    // line of each vector) at a time keeps both the lines read and the lines written in L1.
    for (int p0 = 0; p0 < kc; p0 += 16) {
        int p_end = kc - p0 < 16 ? kc : p0 + 16;
        for (int v = 0; v < count; v++)
            for (int p = p0; p < p_end; p++) panel[p * width + v] = src[v * vector_stride + p];
    }
    for (int v = count; v < width; v++)
        for (int p = 0; p < kc; p++) panel[p * width + v] = 0.0f;
}

// Packs rows i0..i0+rows-1, columns p0..p0+kc-1 of a into MR-row panels.
static void pack_a(float *packed, Operand a, int i0, int rows, int p0, int kc) {
    for (int i = 0; i < rows; i += MR) {
        const float *src = a.data + (long)(i0 + i) * a.row_stride + (long)p0 * a.col_stride;
        int count = rows - i < MR ? rows - i : MR;
        pack_panel(packed + (long)i * kc, src, a.row_stride, a.col_stride, count, kc, MR);
    }
}

// Packs rows p0..p0+kc-1, columns j0..j0+cols-1 of b into NR-column panels.
static void pack_b(float *packed, Operand b, int p0, int kc, int j0, int cols) {
    for (int j = 0; j < cols; j += NR) {
        const float *src = b.data + (long)p0 * b.row_stride + (long)(j0 + j) * b.col_stride;
        int count = cols - j < NR ? cols - j : NR;
        pack_panel(packed + (long)j * kc, src, b.col_stride, b.row_stride, count, kc, NR);
    }
}

// The micro-kernel: c[MR,NR] (row stride ldc) = or += the product of one packed panel
// of a (kc x MR) and one of b (kc x NR). The loops over i and j have constant trip
// counts, so the compiler unrolls them and keeps `sum` in vector registers: per step of
// p it loads NR values of b as NR/16 vectors and multiplies them by each broadcast a[i].
static void micro_kernel(float *c, long ldc, const float *restrict a, const float *restrict b, int kc,
                         bool accumulate) {
    float sum[MR][NR] = {{0}};
    for (int p = 0; p < kc; p++) {
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j++) sum[i][j] += a[i] * b[j];
        a += MR;
        b += NR;
    }
    for (int i = 0; i < MR; i++)
        for (int j = 0; j < NR; j++) c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum[i][j] : sum[i][j];
}

// A tile at the bottom or right edge of c, with rows < MR or cols < NR: compute the
// whole tile (the packed panels are padded with zeros) into a scratch tile, then store
// only the part that exists. The sums are the same as in a whole tile.
static void edge_kernel(float *c, long ldc, const float *a, const float *b, int kc, int rows, int cols,
                        bool accumulate) {
    float tile[MR][NR];
    micro_kernel(&tile[0][0], NR, a, b, kc, false);
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) c[i * ldc + j] = accumulate ? c[i * ldc + j] + tile[i][j] : tile[i][j];
}

// c[rows, cols] (row stride ldc) =/+= packed a block (rows x kc) · packed b block (kc x cols).
static void multiply_blocks(const PackingBuffers *packed, float *c, long ldc, int rows, int cols, int kc,
                            bool accumulate) {
    for (int j = 0; j < cols; j += NR) {
        const float *b = packed->b + (long)j * kc;
        for (int i = 0; i < rows; i += MR) {
            const float *a = packed->a + (long)i * kc;
            float *c_tile = c + i * ldc + j;
            if (rows - i >= MR && cols - j >= NR)
                micro_kernel(c_tile, ldc, a, b, kc, accumulate);
            else
                edge_kernel(c_tile, ldc, a, b, kc, rows - i < MR ? rows - i : MR, cols - j < NR ? cols - j : NR,
                            accumulate);
        }
    }
}

// c[m,n] (row stride ldc) =/+= a[m,k] · b[k,n] for operands in any layout, packing into
// `packed`. The loops go over blocks of NC columns of c, then KC values of k (the first
// block of k overwrites c unless accumulating, the next ones add to it), then MC rows.
static void multiply(PackingBuffers *packed, float *c, long ldc, Operand a, Operand b, int m, int k, int n,
                     bool accumulate) {
    if (k == 0 && !accumulate)  // an empty sum: no block of k below would write c
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i * ldc + j] = 0.0f;
    for (int j = 0; j < n; j += NC) {
        int cols = n - j < NC ? n - j : NC;
        for (int p = 0; p < k; p += KC) {
            int kc = k - p < KC ? k - p : KC;
            pack_b(packed->b, b, p, kc, j, cols);
            for (int i = 0; i < m; i += MC) {
                int rows = m - i < MC ? m - i : MC;
                pack_a(packed->a, a, i, rows, p, kc);
                multiply_blocks(packed, c + i * ldc + j, ldc, rows, cols, kc, accumulate || p > 0);
            }
        }
    }
}

// One product cut into parts for the threads. Part p computes a range of whole NR-wide
// column panels of c (or of whole MR-high row tiles) with buffers[p]: each element of c
// is computed by one part, with the same sums in the same order as without the cut.
// Cutting the columns makes every part pack all of a, cutting the rows all of b, so
// the cut goes across the longer side of c, which copies the smaller operand again.
typedef struct Product {
    float *c;
    Operand a, b;
    int m, k, n;
    bool accumulate;
    int parts;
    bool by_rows;
} Product;

// Part `part` of `parts` of `count` pieces of `size`, as [*first, *end) in elements.
static void piece_range(long part, int parts, int count, int size, int limit, int *first, int *end) {
    *first = (int)(count * part / parts) * size;
    long last = (long)(count * (part + 1) / parts) * size;
    *end = last < limit ? (int)last : limit;
}

static void multiply_parts(void *context, long first_part, long end_part) {
    const Product *p = context;
    for (long part = first_part; part < end_part; part++) {
        int first, end;
        if (p->by_rows) {
            piece_range(part, p->parts, (p->m + MR - 1) / MR, MR, p->m, &first, &end);
            Operand a = {p->a.data + first * p->a.row_stride, p->a.row_stride, p->a.col_stride};
            multiply(&buffers[part], p->c + (long)first * p->n, p->n, a, p->b, end - first, p->k, p->n, p->accumulate);
        } else {
            piece_range(part, p->parts, (p->n + NR - 1) / NR, NR, p->n, &first, &end);
            Operand b = {p->b.data + first * p->b.col_stride, p->b.row_stride, p->b.col_stride};
            multiply(&buffers[part], p->c + first, p->n, p->a, b, p->m, p->k, end - first, p->accumulate);
        }
    }
}

// c[m,n] =/+= a·b on as many threads as there are (tensor/parallel.h).
static void multiply_on_threads(float *c, Operand a, Operand b, int m, int k, int n, bool accumulate) {
    int threads = parallel_threads(), panels = (n + NR - 1) / NR, tiles = (m + MR - 1) / MR;
    bool by_rows = m > n ? tiles >= threads : panels < threads;
    int pieces = by_rows ? tiles : panels, parts = pieces < threads ? pieces : threads;
    Product cut = {c, a, b, m, k, n, accumulate, parts, by_rows};
    if (parts < 2) multiply(&buffers[0], c, n, a, b, m, k, n, accumulate);
    else parallel_for(parts, 2.0 * m * k * n / parts, multiply_parts, &cut);
}

// `batches` independent products, the i-th matrices at a + i·m·k, b + i·k·n and
// c + i·m·n (the attention of every sequence and head). The threads take whole
// products: part p computes a range of them with buffers[p].
typedef struct Batched {
    float *c;
    Operand a, b;
    long batches;
    int m, k, n;
    bool accumulate;
    int parts;
} Batched;

static void multiply_batched_parts(void *context, long first_part, long end_part) {
    const Batched *p = context;
    long a_step = (long)p->m * p->k, b_step = (long)p->k * p->n, c_step = (long)p->m * p->n;
    for (long part = first_part; part < end_part; part++)
        for (long i = p->batches * part / p->parts; i < p->batches * (part + 1) / p->parts; i++) {
            Operand a = {p->a.data + i * a_step, p->a.row_stride, p->a.col_stride};
            Operand b = {p->b.data + i * b_step, p->b.row_stride, p->b.col_stride};
            multiply(&buffers[part], p->c + i * c_step, p->n, a, b, p->m, p->k, p->n, p->accumulate);
        }
}

static void multiply_batched(float *c, Operand a, Operand b, long batches, int m, int k, int n, bool accumulate) {
    int threads = parallel_threads();
    int parts = batches < threads ? (int)batches : threads;
    Batched batched = {c, a, b, batches, m, k, n, accumulate, parts};
    parallel_for(parts, 2.0 * m * k * n * (double)batches / parts, multiply_batched_parts, &batched);
}

// a and b as the kernel reads them, from the layout in which they are stored.
static Operand left_operand(const float *a, MatmulLayout layout, int m, int k) {
    return layout == MATMUL_ATB ? (Operand){a, 1, m} : (Operand){a, k, 1};  // [k,m] or [m,k]
}

static Operand right_operand(const float *b, MatmulLayout layout, int k, int n) {
    return layout == MATMUL_ABT ? (Operand){b, 1, k} : (Operand){b, n, 1};  // [n,k] or [k,n]
}

// One product, or the plain triple loop instead when set_reference_kernels(true) asked for it.
static void product(MatmulLayout layout, float *c, const float *a, const float *b, int m, int k, int n,
                    bool accumulate) {
    if (reference_kernels()) matmul_reference(c, a, b, m, k, n, layout, accumulate);
    else multiply_on_threads(c, left_operand(a, layout, m, k), right_operand(b, layout, k, n), m, k, n, accumulate);
}

static void batched_product(MatmulLayout layout, float *c, const float *a, const float *b, long batches, int m, int k,
                            int n, bool accumulate) {
    if (!reference_kernels()) {
        Operand left = left_operand(a, layout, m, k), right = right_operand(b, layout, k, n);
        multiply_batched(c, left, right, batches, m, k, n, accumulate);
        return;
    }
    for (long i = 0; i < batches; i++)
        matmul_reference(c + i * m * n, a + i * m * k, b + i * k * n, m, k, n, layout, accumulate);
}

void matmul_ab(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate) {
    product(MATMUL_AB, c, a, b, m, k, n, accumulate);
}

void matmul_abt(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate) {
    product(MATMUL_ABT, c, a, b, m, k, n, accumulate);
}

void matmul_atb(float *c, const float *a, const float *b, int m, int k, int n, bool accumulate) {
    product(MATMUL_ATB, c, a, b, m, k, n, accumulate);
}

// One product (a weight shared by every row) is matmul_ab itself.
void matmul_ab_batched(float *c, const float *a, const float *b, long batches, int m, int k, int n,
                       bool accumulate) {
    if (batches == 1) matmul_ab(c, a, b, m, k, n, accumulate);
    else batched_product(MATMUL_AB, c, a, b, batches, m, k, n, accumulate);
}

void matmul_abt_batched(float *c, const float *a, const float *b, long batches, int m, int k, int n,
                        bool accumulate) {
    if (batches == 1) matmul_abt(c, a, b, m, k, n, accumulate);
    else batched_product(MATMUL_ABT, c, a, b, batches, m, k, n, accumulate);
}

void matmul_atb_batched(float *c, const float *a, const float *b, long batches, int m, int k, int n,
                        bool accumulate) {
    if (batches == 1) matmul_atb(c, a, b, m, k, n, accumulate);
    else batched_product(MATMUL_ATB, c, a, b, batches, m, k, n, accumulate);
}
