// Tutorial 01: tensors, the arena and the random numbers. Read tutorials/01_tensors.md
// alongside; run with build/tutorials/01_tensors.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=01 V=<name>` (`make tutorials` runs them all):
// Try: summary -DTRY_SUMMARY
// Try: index -DTRY_INDEX
// Try: wrong_shape -DTRY_WRONG_SHAPE stops: matmul: shapes [2,3] and [2,3]: inner dimensions must match
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tutorials/tutorial.h"

// A tensor is a name, a shape and one flat array of floats, the last dimension innermost.
static void layout(void) {
    section("1. A tensor is a flat array with a shape");
    float values[] = {1, 2, 3, 4, 5, 6};
    Tensor *a = tensor_from_array(step_arena(), "a", shape2(2, 3), values);
    tensor_print(a);
    printf("  a[1, 2] is data[1·3 + 2] = %g\n", a->data[1 * 3 + 2]);
    claim(a->data[1 * 3 + 2] == 6.0f, "row 1, column 2 of a [2,3] tensor is element 5 of its array");

    Tensor *h = tensor_zeros(step_arena(), "h", shape3(2, 4, 3));  // [batch, sequence, width]
    char shape[64];
    printf("  h %s: %ld rows of %d values\n", shape_string(h->shape, shape, sizeof shape), tensor_rows(h),
           tensor_cols(h));
    claim(tensor_rows(h) == 8 && tensor_cols(h) == 3, "ops see a [2,4,3] tensor as 8 rows of 3");
}

// Every random number comes from a seeded SplitMix64: same seed, same numbers.
static void random_numbers(void) {
    section("2. Random numbers are seeded");
    Rng r1, r2, r3;
    rng_seed(&r1, 42), rng_seed(&r2, 42), rng_seed(&r3, 43);
    Tensor *x = tensor_normal(step_arena(), "x", shape2(2, 4), &r1, 0.0f, 1.0f);
    Tensor *y = tensor_normal(step_arena(), "y", shape2(2, 4), &r2, 0.0f, 1.0f);
    Tensor *z = tensor_normal(step_arena(), "z", shape2(2, 4), &r3, 0.0f, 1.0f);
    print_matrix("x, from seed 42:", x->data, 2, 4);
    print_matrix("z, from seed 43:", z->data, 2, 4);
    claim(memcmp(x->data, y->data, sizeof(float) * 8) == 0, "the same seed gives the same numbers, bit for bit");
    claim(memcmp(x->data, z->data, sizeof(float) * 8) != 0, "another seed gives other numbers");
}

// An op takes tensors and returns a new one; it never changes its inputs.
static void an_op(void) {
    section("3. An op makes a new tensor");
    float av[] = {1, 2, 3, 4, 5, 6}, bv[] = {1, 0, 0, 1, 1, 1};
    Tensor *a = tensor_from_array(step_arena(), "a", shape2(2, 3), av);
#ifdef TRY_WRONG_SHAPE
    Shape b_shape = shape2(2, 3);  // Try this: a [2,3]·[2,3] product does not exist, and matmul stops
#else
    Shape b_shape = shape2(3, 2);
#endif
    Tensor *b = tensor_from_array(step_arena(), "b", b_shape, bv);
    Tensor *c = matmul(a, b);  // [2,3]·[3,2] -> [2,2]
    print_matrix("a·b:", c->data, 2, 2);
    // by hand: row 0 of a is (1,2,3); column 0 of b is (1,0,1) and column 1 is (0,1,1)
    float expected[] = {1 + 3, 2 + 3, 4 + 6, 5 + 6};
    claim(memcmp(c->data, expected, sizeof expected) == 0, "a·b = [[4, 5], [10, 11]], as by hand");
    printf("  the output is named '%s'\n", c->name);
    Tensor *t = transpose(a);  // no views in gpt1.c: a transpose is a copy in the new layout
    print_matrix("aᵀ (a copy, not a view):", t->data, 3, 2);
    claim(t->data[1] == 4.0f, "aᵀ[0, 1] = a[1, 0] = 4");
}

// Everything above came from the step arena; one reset releases all of it.
static void the_arena(void) {
    section("4. The step arena");
    Arena *arena = step_arena();
    printf("  in use before the reset: %zu bytes (peak %zu)\n", arena->in_use, arena->peak);
    tape_reset();
    printf("  in use after tape_reset(): %zu bytes\n", arena->in_use);
    claim(arena->in_use == 0, "one reset releases every tensor of the step");
    Tensor *kept = tensor_filled(NULL, "kept", shape1(3), 0.5f);  // arena NULL: malloc, like parameters
    tape_reset();
    claim(kept->data[2] == 0.5f, "a tensor made outside the arena survives the reset");
    tensor_free(kept);
}

#ifdef TRY_SUMMARY
// Try this: past six values, tensor_print shows the first six, then the minimum, the
// maximum and the mean of all of them. The line it prints is read back and checked.
static void summary_line(void) {
    section("Try this: the summary line of a larger tensor");
    Rng rng;
    rng_seed(&rng, 1);
    Tensor *t = tensor_normal(step_arena(), "t", shape2(4, 6), &rng, 0.0f, 1.0f);
    tensor_print(t);
    double total = 0;
    float lo = t->data[0], hi = t->data[0];
    for (long i = 0; i < t->size; i++) total += t->data[i], lo = fminf(lo, t->data[i]), hi = fmaxf(hi, t->data[i]);
    char expected[128], printed[512] = "";
    snprintf(expected, sizeof expected, " ...  min %.6g max %.6g mean %.6g\n", lo, hi, total / (double)t->size);
    FILE *file = tmpfile();
    if (file != NULL) {
        tensor_fprint(file, t);
        rewind(file);
        while (fgets(printed, sizeof printed, file) != NULL && strstr(printed, "data:") == NULL) continue;
        fclose(file);
    }
    claim(strstr(printed, expected) != NULL, "24 values: the first six, then \"...\" and the min, max and mean of all 24");
    tape_reset();
}
#endif

#ifdef TRY_INDEX
// Try this: element [1, 2, 3] of a [2, 3, 4] tensor. Each value below is its own index
// in the array, so the answer can be read off the print.
static void an_index(void) {
    section("Try this: which element of the array holds [1, 2, 3]?");
    Tensor *t = tensor_zeros(step_arena(), "t", shape3(2, 3, 4));
    for (long i = 0; i < t->size; i++) t->data[i] = (float)i;
    for (int a = 0; a < 2; a++) {
        char title[64];
        snprintf(title, sizeof title, "t[%d, :, :] (each value is its index):", a);
        print_matrix(title, t->data + a * 12, 3, 4);
    }
    long at = (1 * 3 + 2) * 4 + 3;
    printf("  [1, 2, 3] is element (1·3 + 2)·4 + 3 = %ld\n", at);
    claim(t->data[at] == 23.0f, "index [i, j, k] of a [2, 3, 4] tensor is element (i·3 + j)·4 + k: [1, 2, 3] is 23");
    tape_reset();
}
#endif

int main(void) {
#ifdef TRY_SUMMARY
    summary_line();
#endif
#ifdef TRY_INDEX
    an_index();
#endif
    layout();
    random_numbers();
    an_op();
    the_arena();
    tape_free();
    return tutorial_end();
}
