// Tutorial 01: tensors, the arena and the random numbers. Read tutorials/01_tensors.md
// alongside; run with build/tutorials/01_tensors.
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
    Tensor *b = tensor_from_array(step_arena(), "b", shape2(3, 2), bv);
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

int main(void) {
    layout();
    random_numbers();
    an_op();
    the_arena();
    tape_free();
    return tutorial_end();
}
