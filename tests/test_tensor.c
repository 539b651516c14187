// tensor/: shapes, creation, the PRNG, the arena, printing.
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers.h"

START_TEST(test_shapes) {
    char buf[64];
    ck_assert_int_eq(shape_size(shape3(2, 3, 4)), 24);
    ck_assert_str_eq(shape_string(shape4(1, 2, 3, 7), buf, sizeof buf), "[1,2,3,7]");
    ck_assert(shape_equal(shape2(3, 4), shape2(3, 4)));
    ck_assert(!shape_equal(shape2(3, 4), shape2(4, 3)));
    ck_assert(!shape_equal(shape2(3, 4), shape3(3, 4, 1)));
}
END_TEST

START_TEST(test_creation) {
    Arena arena;
    arena_init(&arena, "test", 1 << 20);
    Tensor *z = tensor_zeros(&arena, "z", shape2(3, 5));
    ck_assert_int_eq(z->size, 15);
    ck_assert_int_eq(tensor_rows(z), 3);
    ck_assert_int_eq(tensor_cols(z), 5);
    for (long i = 0; i < z->size; i++) ck_assert_float_eq(z->data[i], 0.0f);
    Tensor *f = tensor_filled(&arena, "f", shape1(4), 2.5f);
    ck_assert_float_eq(f->data[3], 2.5f);
    float values[] = {1, 2, 3, 4, 5, 6};
    Tensor *a = tensor_from_array(&arena, "a", shape2(2, 3), values);
    ck_assert_float_eq(a->data[5], 6.0f);
    ck_assert_str_eq(a->name, "a");
    ck_assert_ptr_null(a->grad);
    Rng rng;
    rng_seed(&rng, 3);
    Tensor *u = tensor_uniform(&arena, "u", shape1(1000), &rng, -2.0f, 3.0f);
    for (long i = 0; i < u->size; i++) ck_assert(u->data[i] >= -2.0f && u->data[i] < 3.0f);
    Tensor *heap = tensor_filled(NULL, "heap", shape1(7), 1.0f);  // malloc'ed, outside any arena
    ck_assert_float_eq(heap->data[6], 1.0f);
    tensor_free(heap);
    arena_free(&arena);
}
END_TEST

// SplitMix64's published first outputs for seed 0.
START_TEST(test_rng_known_values) {
    Rng rng;
    rng_seed(&rng, 0);
    ck_assert_uint_eq(rng_next(&rng), 0xE220A8397B1DCDAFull);
    ck_assert_uint_eq(rng_next(&rng), 0x6E789E6AA1B965F4ull);
}
END_TEST

START_TEST(test_rng_determinism) {
    Arena arena;
    arena_init(&arena, "test", 1 << 20);
    Rng r1, r2, r3;
    rng_seed(&r1, 42);
    rng_seed(&r2, 42);
    rng_seed(&r3, 43);
    Tensor *a = tensor_normal(&arena, "a", shape2(17, 33), &r1, 0.0f, 0.02f);
    Tensor *b = tensor_normal(&arena, "b", shape2(17, 33), &r2, 0.0f, 0.02f);
    Tensor *c = tensor_normal(&arena, "c", shape2(17, 33), &r3, 0.0f, 0.02f);
    ck_assert_int_eq(memcmp(a->data, b->data, sizeof(float) * (size_t)a->size), 0);
    ck_assert_int_ne(memcmp(a->data, c->data, sizeof(float) * (size_t)a->size), 0);
    arena_free(&arena);
}
END_TEST

START_TEST(test_rng_distributions) {
    Rng rng;
    rng_seed(&rng, 7);
    const int n = 200000;
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < n; i++) {
        double z = rng_normal(&rng, 1.0f, 2.0f);
        sum += z;
        sum_sq += z * z;
    }
    double m = sum / n, var = sum_sq / n - m * m;
    ck_assert_double_eq_tol(m, 1.0, 0.02);
    ck_assert_double_eq_tol(sqrt(var), 2.0, 0.02);
    int counts[5] = {0};
    for (int i = 0; i < 50000; i++) counts[rng_below(&rng, 5)]++;
    for (int k = 0; k < 5; k++) ck_assert_int_gt(counts[k], 9500);
}
END_TEST

START_TEST(test_arena_alignment_and_reuse) {
    Arena arena;
    arena_init(&arena, "test", (size_t)1 << 30);
    arena.block_size = 4096;  // small blocks, so that the test crosses block boundaries
    size_t reserved_after_first = 0, peak_after_first = 0;
    for (int step = 0; step < 50; step++) {
        for (int i = 1; i < 40; i++) {
            char *p = arena_alloc(&arena, (size_t)(i * 37));
            ck_assert_uint_eq((uintptr_t)p % 64, 0);
            memset(p, 0xAB, (size_t)(i * 37));
        }
        char *big = arena_alloc(&arena, 10000);  // larger than a block
        memset(big, 1, 10000);
        if (step == 0) {
            reserved_after_first = arena.reserved;
            peak_after_first = arena.peak;
        }
        ck_assert_uint_eq(arena.reserved, reserved_after_first);  // no growth from step to step
        ck_assert_uint_eq(arena.peak, peak_after_first);
        arena_reset(&arena);
        ck_assert_uint_eq(arena.in_use, 0);
    }
    arena_free(&arena);
}
END_TEST

START_TEST(test_arena_rewind) {
    Arena arena;
    arena_init(&arena, "test", 1 << 20);
    arena_alloc(&arena, 100);
    ArenaMark mark = arena_mark(&arena);
    char *first = arena_alloc(&arena, 256);
    arena_rewind(&arena, mark);
    char *again = arena_alloc(&arena, 256);
    ck_assert_ptr_eq(first, again);
    arena_free(&arena);
}
END_TEST

START_TEST(test_arena_overflow_aborts) {
    Arena arena;
    arena_init(&arena, "tiny", 4096);
    arena_alloc(&arena, 100000);  // more than the limit: aborts with needed vs available
}
END_TEST

START_TEST(test_print_and_finite) {
    Arena arena;
    arena_init(&arena, "test", 1 << 20);
    float values[] = {1, -2, 3, 4, 5, 6, 7, 8};
    Tensor *t = tensor_from_array(&arena, "blocks.0.attn.scores", shape2(2, 4), values);
    FILE *file = tmpfile();
    tensor_fprint(file, t);
    rewind(file);
    char text[512] = {0};
    size_t got = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    ck_assert_uint_gt(got, 0);
    ck_assert_ptr_nonnull(strstr(text, "blocks.0.attn.scores"));
    ck_assert_ptr_nonnull(strstr(text, "[2,4]"));
    ck_assert_ptr_nonnull(strstr(text, "min -2 max 8 mean 4"));
    ck_assert(tensor_is_finite(t));
    t->data[5] = NAN;
    ck_assert(!tensor_is_finite(t));
    ck_assert_int_eq(first_non_finite(t->data, t->size), 5);
    arena_free(&arena);
}
END_TEST

Suite *tensor_suite(void) {
    Suite *s = suite_create("tensor");
    TCase *tc = tcase_create("tensor");
    tcase_add_test(tc, test_shapes);
    tcase_add_test(tc, test_creation);
    tcase_add_test(tc, test_rng_known_values);
    tcase_add_test(tc, test_rng_determinism);
    tcase_add_test(tc, test_rng_distributions);
    tcase_add_test(tc, test_arena_alignment_and_reuse);
    tcase_add_test(tc, test_arena_rewind);
    tcase_add_test_raise_signal(tc, test_arena_overflow_aborts, SIGABRT);
    tcase_add_test(tc, test_print_and_finite);
    suite_add_tcase(s, tc);
    return s;
}
