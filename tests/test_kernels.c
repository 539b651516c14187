// tensor/ kernels against values computed by hand or by an independent reference.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tensor/kernels.h"
#include "tensor/matmul.h"
#include "tests/helpers.h"

START_TEST(test_matmul_small_integers) {
    float a[] = {1, 2, 3, 4, 5, 6};           // [2,3]
    float b[] = {7, 8, 9, 10, 11, 12};        // [3,2]
    float b_t[] = {7, 9, 11, 8, 10, 12};      // bᵀ stored [2,3]
    float a_t[] = {1, 4, 2, 5, 3, 6};         // aᵀ stored [3,2]
    float expected[] = {58, 64, 139, 154};
    float c[4];
    matmul_ab(c, a, b, 2, 3, 2, false);
    assert_close(c, expected, 4, 0.0f, "a·b");
    matmul_abt(c, a, b_t, 2, 3, 2, false);
    assert_close(c, expected, 4, 0.0f, "a·bᵀ");
    matmul_atb(c, a_t, b, 2, 3, 2, false);
    assert_close(c, expected, 4, 0.0f, "aᵀ·b");
    float doubled[] = {116, 128, 278, 308};
    matmul_ab(c, a, b, 2, 3, 2, true);  // accumulate: c += a·b
    assert_close(c, doubled, 4, 0.0f, "c + a·b");
    // the triple loop, the oracle of the tests below, on the same known values
    matmul_reference(c, a, b, 2, 3, 2, MATMUL_AB, false);
    assert_close(c, expected, 4, 0.0f, "reference a·b");
    matmul_reference(c, a, b_t, 2, 3, 2, MATMUL_ABT, false);
    assert_close(c, expected, 4, 0.0f, "reference a·bᵀ");
    matmul_reference(c, a_t, b, 2, 3, 2, MATMUL_ATB, false);
    assert_close(c, expected, 4, 0.0f, "reference aᵀ·b");
    matmul_reference(c, a, b, 2, 3, 2, MATMUL_AB, true);
    assert_close(c, doubled, 4, 0.0f, "reference c + a·b");
}
END_TEST

// set_reference_kernels(true) routes every product, batched ones too, through the triple
// loop: the results are then exactly matmul_reference's. Switched off, the fast kernel
// is back (for k > 256 its sums are grouped differently, so some bits differ).
START_TEST(test_reference_kernels_switch) {
    enum { BATCHES = 3, M = 9, K = 300, N = 70 };
    static float a[BATCHES * M * K], b[BATCHES * K * N], c[BATCHES * M * N], expected[BATCHES * M * N];
    Rng rng;
    rng_seed(&rng, 14);
    for (int i = 0; i < BATCHES * M * K; i++) a[i] = rng_uniform(&rng) - 0.5f;
    for (int i = 0; i < BATCHES * K * N; i++) b[i] = rng_uniform(&rng) - 0.5f;
    for (int i = 0; i < BATCHES; i++)
        matmul_reference(expected + i * M * N, a + i * M * K, b + i * K * N, M, K, N, MATMUL_AB, false);
    ck_assert(!reference_kernels());
    set_reference_kernels(true);
    matmul_ab_batched(c, a, b, BATCHES, M, K, N, false);
    set_reference_kernels(false);
    ck_assert_msg(memcmp(c, expected, sizeof c) == 0, "with reference kernels, matmul_ab_batched is not the triple loop");
    matmul_ab_batched(c, a, b, BATCHES, M, K, N, false);
    assert_close(c, expected, BATCHES * M * N, 1e-5f * K, "fast matmul_ab_batched");
    ck_assert_msg(memcmp(c, expected, sizeof c) != 0, "switched off, the products still run the triple loop");
}
END_TEST

// Every layout against the library's triple loop, matmul_reference (checked itself
// on known values above and below), on sizes that do not divide any block size the
// fast kernel may use, with and without accumulation.
static void check_layouts(int m, int k, int n, Rng *rng) {
    float *a = malloc(sizeof(float) * (size_t)(m * k)), *b = malloc(sizeof(float) * (size_t)(k * n));
    float *a_t = malloc(sizeof(float) * (size_t)(m * k)), *b_t = malloc(sizeof(float) * (size_t)(k * n));
    float *c = malloc(sizeof(float) * (size_t)(m * n)), *expected = malloc(sizeof(float) * (size_t)(m * n));
    for (int i = 0; i < m * k; i++) a[i] = rng_uniform(rng) - 0.5f;
    for (int i = 0; i < k * n; i++) b[i] = rng_uniform(rng) - 0.5f;
    for (int i = 0; i < m; i++)
        for (int p = 0; p < k; p++) a_t[p * m + i] = a[i * k + p];
    for (int p = 0; p < k; p++)
        for (int j = 0; j < n; j++) b_t[j * k + p] = b[p * n + j];
    for (int i = 0; i < m * n; i++) expected[i] = NAN;  // not read without accumulate
    matmul_reference(expected, a, b, m, k, n, MATMUL_AB, false);
    float tol = 1e-5f * (float)k;
    // Without accumulate, c may hold anything, even NaN: the kernels must not read it.
    for (int i = 0; i < m * n; i++) c[i] = NAN;
    matmul_ab(c, a, b, m, k, n, false);
    assert_close(c, expected, (long)m * n, tol, "matmul_ab");
    for (int i = 0; i < m * n; i++) c[i] = NAN;
    matmul_abt(c, a, b_t, m, k, n, false);
    assert_close(c, expected, (long)m * n, tol, "matmul_abt");
    for (int i = 0; i < m * n; i++) c[i] = NAN;
    matmul_atb(c, a_t, b, m, k, n, false);
    assert_close(c, expected, (long)m * n, tol, "matmul_atb");
    for (int i = 0; i < m * n; i++) expected[i] += 1.0f;
    for (int i = 0; i < m * n; i++) c[i] = 1.0f;
    matmul_ab(c, a, b, m, k, n, true);
    assert_close(c, expected, (long)m * n, tol, "matmul_ab accumulate");
    for (int i = 0; i < m * n; i++) c[i] = 1.0f;
    matmul_abt(c, a, b_t, m, k, n, true);
    assert_close(c, expected, (long)m * n, tol, "matmul_abt accumulate");
    for (int i = 0; i < m * n; i++) c[i] = 1.0f;
    matmul_atb(c, a_t, b, m, k, n, true);
    assert_close(c, expected, (long)m * n, tol, "matmul_atb accumulate");
    free(a), free(b), free(a_t), free(b_t), free(c), free(expected);
}

START_TEST(test_matmul_layouts_odd_sizes) {
    Rng rng;
    rng_seed(&rng, 11);
    int sizes[][3] = {{1, 1, 1}, {1, 7, 3}, {3, 1, 7}, {7, 3, 1}, {5, 17, 9}, {33, 65, 31}, {97, 130, 67}, {64, 64, 64},
                      {200, 300, 129}, {13, 515, 40}, {1, 300, 513}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) check_layouts(sizes[i][0], sizes[i][1], sizes[i][2], &rng);
}
END_TEST

// tensor/matmul.c works in register tiles of MR x NR = 6 x 64 values of c and cache
// blocks of KC = 256 values of k, MC = 96 rows and NC = 2048 columns; partial tiles and
// blocks take other paths. These sizes sit just below, on and just above each boundary
// (and k = 0: an empty sum, c = 0 or c unchanged).
START_TEST(test_matmul_layouts_block_edges) {
    Rng rng;
    rng_seed(&rng, 12);
    int sizes[][3] = {{6, 256, 64}, {5, 255, 63}, {7, 257, 65},  {95, 64, 9},  {96, 16, 64}, {97, 16, 65},
                      {193, 20, 5}, {12, 513, 64}, {2, 40, 2049}, {1, 9, 4097}, {1, 512, 1}, {4, 0, 5}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) check_layouts(sizes[i][0], sizes[i][1], sizes[i][2], &rng);
}
END_TEST

// The same inputs give the same bits: on every call, wherever the arrays sit in memory
// (an offset of one float changes their alignment), and, because the three layouts only
// differ in how they copy a and b into the kernel's buffers, in every layout.
START_TEST(test_matmul_bit_identical) {
    enum { M = 70, K = 300, N = 130 };
    static float a[M * K + 1], b[K * N + 1], a_t[M * K], b_t[K * N], c[M * N + 1], first[M * N];
    Rng rng;
    rng_seed(&rng, 13);
    for (int i = 0; i < M * K; i++) a[i] = rng_uniform(&rng) - 0.5f;
    for (int i = 0; i < K * N; i++) b[i] = rng_uniform(&rng) - 0.5f;
    for (int i = 0; i < M; i++)
        for (int p = 0; p < K; p++) a_t[p * M + i] = a[i * K + p];
    for (int p = 0; p < K; p++)
        for (int j = 0; j < N; j++) b_t[j * K + p] = b[p * N + j];
    matmul_ab(first, a, b, M, K, N, false);
    matmul_ab(c, a, b, M, K, N, false);
    ck_assert_msg(memcmp(c, first, sizeof first) == 0, "matmul_ab differs from call to call");
    matmul_abt(c, a, b_t, M, K, N, false);
    ck_assert_msg(memcmp(c, first, sizeof first) == 0, "matmul_abt differs from matmul_ab");
    matmul_atb(c, a_t, b, M, K, N, false);
    ck_assert_msg(memcmp(c, first, sizeof first) == 0, "matmul_atb differs from matmul_ab");
    memmove(a + 1, a, sizeof(float) * M * K);
    memmove(b + 1, b, sizeof(float) * K * N);
    matmul_ab(c + 1, a + 1, b + 1, M, K, N, false);
    ck_assert_msg(memcmp(c + 1, first, sizeof first) == 0, "matmul_ab depends on alignment");
}
END_TEST

START_TEST(test_softmax_known_row) {
    float x[] = {1, 2, 3, 1001, 1002, 1003};  // the second row would overflow expf without the max
    float y[6];
    softmax_forward(y, x, 2, 3);
    float expected[] = {0.09003057f, 0.24472847f, 0.66524096f, 0.09003057f, 0.24472847f, 0.66524096f};
    assert_close(y, expected, 6, 1e-6f, "softmax");
    float log_y[6];
    log_softmax_forward(log_y, x, 2, 3);
    for (int i = 0; i < 6; i++) ck_assert_float_eq_tol(log_y[i], logf(expected[i]), 1e-5f);
    float masked[] = {0.5f, -INFINITY, -INFINITY};
    softmax_forward(y, masked, 1, 3);
    ck_assert_float_eq(y[0], 1.0f);
    ck_assert_float_eq(y[1], 0.0f);
}
END_TEST

START_TEST(test_layer_norm_known_vector) {
    float x[] = {1, 2, 3, 4}, gain[] = {1, 1, 1, 1}, bias[] = {0, 0, 0, 0};
    float y[4], mean, rstd;
    layer_norm_forward(y, &mean, &rstd, x, gain, bias, 1, 4);
    float expected[] = {-1.34163542f, -0.44721181f, 0.44721181f, 1.34163542f};
    assert_close(y, expected, 4, 1e-6f, "layer_norm");
    ck_assert_float_eq_tol(mean, 2.5f, 1e-7f);
    ck_assert_float_eq_tol(rstd, 1.0f / sqrtf(1.25f + 1e-5f), 1e-6f);
    float gain2[] = {2, 2, 2, 2}, bias2[] = {1, 1, 1, 1};
    layer_norm_forward(y, &mean, &rstd, x, gain2, bias2, 1, 4);
    ck_assert_float_eq_tol(y[0], 2.0f * -1.34163542f + 1.0f, 1e-6f);
}
END_TEST

START_TEST(test_cross_entropy_known_distribution) {
    // Row 0: softmax = [1/6, 2/6, 3/6], target 2 → −ln(1/2). Row 1: same row, target 0 → −ln(1/6).
    // Row 2 is ignored.
    float l2 = logf(2.0f), l3 = logf(3.0f);
    float logits[] = {0, l2, l3, 0, l2, l3, 5, 5, 5};
    int targets[] = {2, 0, CROSS_ENTROPY_IGNORE};
    float loss, probs[9];
    long counted = cross_entropy_forward(&loss, probs, logits, targets, 3, 3);
    ck_assert_int_eq(counted, 2);
    ck_assert_float_eq_tol(loss, 1.24245332f, 1e-6f);
    float dlogits[9] = {0};
    cross_entropy_backward(dlogits, 1.0f, probs, targets, 3, 3, counted);
    float expected[] = {1 / 12.f, 2 / 12.f, 3 / 12.f - 0.5f, 1 / 12.f - 0.5f, 2 / 12.f, 3 / 12.f, 0, 0, 0};
    assert_close(dlogits, expected, 9, 1e-6f, "dlogits");
}
END_TEST

START_TEST(test_gelu_known_points) {
    float x[] = {0, 1, -1, 2, -3, 0.5f};
    float expected[] = {0, 0.84119199f, -0.15880801f, 1.95459769f, -0.00363739f, 0.34571401f};
    float y[6];
    gelu_forward(y, x, 6);
    assert_close(y, expected, 6, 1e-6f, "gelu");
}
END_TEST

START_TEST(test_causal_mask_and_heads) {
    float x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, y[9];
    causal_mask_forward(y, x, 1, 3);
    ck_assert_float_eq(y[0], 1);
    ck_assert(isinf(y[1]) && y[1] < 0);
    ck_assert(isinf(y[2]) && isinf(y[5]));
    ck_assert_float_eq(y[4], 5);
    ck_assert_float_eq(y[8], 9);
    // Backward: the masked (future) scores get no gradient, whatever arrives from above
    // (in the model a softmax sends 0 there, so only this test sees the rule).
    float ones[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, dx[9] = {0};
    causal_mask_backward(dx, ones, 1, 3);
    float expected_dx[] = {1, 0, 0, 1, 1, 0, 1, 1, 1};
    assert_close(dx, expected_dx, 9, 0.0f, "causal_mask_backward");
    // [1, 2, 2·2] → [1, 2 heads, 2, 2]: head 0 takes features 0-1, head 1 features 2-3
    float h[] = {0, 1, 2, 3, 4, 5, 6, 7}, split[8], merged[8];
    split_heads_forward(split, h, 1, 2, 2, 2);
    float expected[] = {0, 1, 4, 5, 2, 3, 6, 7};
    assert_close(split, expected, 8, 0.0f, "split_heads");
    merge_heads_forward(merged, split, 1, 2, 2, 2);
    assert_close(merged, h, 8, 0.0f, "merge_heads");
    // t = 3 tokens, 2 heads of 2 features: token s holds 4s..4s+3, head 0 its first two
    float h3[12], split3[12], merged3[12];
    for (int i = 0; i < 12; i++) h3[i] = (float)i;
    split_heads_forward(split3, h3, 1, 3, 2, 2);
    float expected3[] = {0, 1, 4, 5, 8, 9, 2, 3, 6, 7, 10, 11};
    assert_close(split3, expected3, 12, 0.0f, "split_heads, t != heads");
    merge_heads_forward(merged3, split3, 1, 3, 2, 2);
    assert_close(merged3, h3, 12, 0.0f, "merge_heads, t != heads");
}
END_TEST

// 1² + 2² + ... + N² = N(N+1)(2N+1)/6, exact in double, over several blocks of the sum.
START_TEST(test_sum_of_squares_known_value) {
    enum { N = 20000 };
    static float x[N];
    for (int i = 0; i < N; i++) x[i] = (float)(i + 1);
    ck_assert_double_eq(sum_of_squares(x, N), (double)N * (N + 1) * (2.0 * N + 1) / 6.0);
    ck_assert_double_eq(sum_of_squares(x, 0), 0.0);
}
END_TEST

START_TEST(test_dropout_mask_scale) {
    Rng rng;
    rng_seed(&rng, 5);
    static float mask[100000];
    dropout_mask(mask, 100000, 0.1f, &rng);
    double total = 0;
    int zeros = 0;
    for (int i = 0; i < 100000; i++) {
        total += mask[i];
        zeros += mask[i] == 0.0f;
        ck_assert(mask[i] == 0.0f || fabsf(mask[i] - 1.0f / 0.9f) < 1e-6f);
    }
    ck_assert_double_eq_tol(total / 100000, 1.0, 0.01);  // expected value kept
    ck_assert_int_gt(zeros, 9500);
    ck_assert_int_lt(zeros, 10500);
}
END_TEST

Suite *kernels_suite(void) {
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("kernels");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_matmul_small_integers);
    tcase_add_test(tc, test_matmul_layouts_odd_sizes);
    tcase_add_test(tc, test_matmul_layouts_block_edges);
    tcase_add_test(tc, test_matmul_bit_identical);
    tcase_add_test(tc, test_reference_kernels_switch);
    tcase_add_test(tc, test_softmax_known_row);
    tcase_add_test(tc, test_layer_norm_known_vector);
    tcase_add_test(tc, test_cross_entropy_known_distribution);
    tcase_add_test(tc, test_gelu_known_points);
    tcase_add_test(tc, test_causal_mask_and_heads);
    tcase_add_test(tc, test_sum_of_squares_known_value);
    tcase_add_test(tc, test_dropout_mask_scale);
    suite_add_tcase(s, tc);
    return s;
}
