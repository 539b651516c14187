// Tutorial 04: masked self-attention on a 5-token input. The attention matrix, the
// mask that zeroes its upper triangle, and the proof that no position sees the future.
// Read tutorials/04_attention.md alongside; run with build/tutorials/04_attention.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=04 V=<name>` (`make tutorials` runs them all), or a script of
// tutorials/try/:
// Try: heads1 -DTRY_HEADS=1
// Try: heads4 -DTRY_HEADS=4
// Try: heads8 -DTRY_HEADS=8
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/attention.h"
#include "nn/embedding.h"
#include "tutorials/tutorial.h"

#ifdef TRY_HEADS
enum { HEADS = TRY_HEADS };  // Try this: 1, 4 or 8 heads of width 8, 2 or 1
#else
enum { HEADS = 2 };  // the fifth argument of attention_create
#endif
enum { T = 5, D = 8, HEAD_D = D / HEADS };
static const char TEXT[T + 1] = "hello";

typedef struct Model {
    ParameterTable params;
    Embedding embedding;
    MaskedSelfAttention attn;
} Model;

// One row per query position i (the token reading), one column per key position j
// (the token read). "-inf" marks a masked score.
static void print_attention(const char *title, const float *w) {
    printf("%s\n        ", title);
    for (int j = 0; j < T; j++) printf("   %c(%d)  ", TEXT[j], j);
    printf("\n");
    for (int i = 0; i < T; i++) {
        printf("  %c(%d) ", TEXT[i], i);
        for (int j = 0; j < T; j++) printf(" %8.4f ", w[i * T + j]);
        printf("\n");
    }
}

static Tensor *attend(Model *m, const char *text) {
    int ids[T];
    for (int i = 0; i < T; i++) ids[i] = (unsigned char)text[i];
    return masked_self_attention(&m->attn, embed(&m->embedding, ids, 1, T));
}

// weights [1, heads, T, T]: the upper triangle is exactly 0 and every row sums to 1.
static bool is_causal_distribution(const Tensor *weights) {
    for (long row = 0; row < tensor_rows(weights); row++) {
        int i = (int)(row % T);
        double total = 0.0;
        for (int j = 0; j < T; j++) {
            float w = weights->data[row * T + j];
            if (j > i && w != 0.0f) return false;
            total += w;
        }
        if (fabs(total - 1.0) > 1e-5) return false;
    }
    return true;
}

static void at_initialisation(Model *m) {
    section("1. Attention at initialisation: N(0, 0.02) weights");
    attend(m, TEXT);
    Tensor *w = m->attn.last_weights;  // [1, heads, T, T]
    print_attention("head 0 (rows: the reading position; columns: the position read):", w->data);
    claim(is_causal_distribution(w), "each row sums to 1 and every weight above the diagonal is exactly 0");
    bool uniform = true;
    for (int i = 0; i < T; i++)
        for (int j = 0; j <= i; j++) uniform &= fabsf(w->data[i * T + j] - 1.0f / (float)(i + 1)) < 0.01f;
    claim(uniform, "with tiny weights all scores are near 0, so row i is close to 1/(i + 1) everywhere it may look");
    tape_reset();
}

static void fill_normal(Tensor *t, Rng *rng, float std) {
    for (long i = 0; i < t->size; i++) t->data[i] = rng_normal(rng, 0.0f, std);
}

// Inside the model the input of attention has rows of unit scale (the embedding at
// first, the output of a LayerNorm above), and trained weights are larger than at
// initialisation. Both make the rows uneven.
static void with_larger_weights(Model *m, Rng *rng) {
    section("2. Inputs of unit scale and larger weights: the rows become uneven");
    fill_normal(m->embedding.tokens, rng, 1.0f);
    fill_normal(m->embedding.positions, rng, 1.0f);
    fill_normal(m->attn.c_attn.weight, rng, 0.5f);
    fill_normal(m->attn.c_proj.weight, rng, 0.5f);
    attend(m, TEXT);
    Tensor *w = m->attn.last_weights;  // [1, HEADS, T, T]
    for (int h = 0; h < HEADS; h++) {
        char title[32];
        snprintf(title, sizeof title, "head %d:", h);
        print_attention(title, w->data + h * T * T);
    }
    claim(w->shape.dims[1] == HEADS, "one T × T matrix of weights per head");
    claim(is_causal_distribution(w), "still: rows sum to 1, nothing above the diagonal");
    tape_reset();
}

// The four steps of scaled_dot_product_attention, one at a time, for head 0.
static void step_by_step(Model *m) {
    section("3. Step by step: Q·Kᵀ/√d, the mask, the softmax");
    int ids[T];
    for (int i = 0; i < T; i++) ids[i] = (unsigned char)TEXT[i];
    Tensor *qkv = linear(&m->attn.c_attn, embed(&m->embedding, ids, 1, T));  // [1, T, 3D]
    Tensor *q = split_heads(columns(qkv, 0, D), HEADS), *k = split_heads(columns(qkv, D, D), HEADS);
    Tensor *scores = scale(matmul_transposed(q, k), 1.0f / sqrtf((float)HEAD_D));  // [1, HEADS, T, T]
    Tensor *masked = causal_mask(scores);
    Tensor *weights = softmax(masked);
    print_attention("scores Q·Kᵀ/√d of head 0:", scores->data);
    print_attention("after the causal mask:", masked->data);
    print_attention("after the softmax:", weights->data);
    attend(m, TEXT);
    claim(memcmp(weights->data, m->attn.last_weights->data, sizeof(float) * (size_t)weights->size) == 0,
          "the same weights as masked_self_attention computes");
    claim(isinf(masked->data[0 * T + 1]) && masked->data[0 * T + 1] < 0, "a masked score is -inf, and exp(-inf) = 0");
    tape_reset();
}

// Changing the last token may change the last output row only.
static void causality(Model *m) {
    section("4. No position sees the future");
    Tensor *before = attend(m, "hello");
    Tensor *after = attend(m, "hellp");
    bool past_same = memcmp(before->data, after->data, sizeof(float) * (T - 1) * D) == 0;
    bool last_differs = memcmp(before->data + (T - 1) * D, after->data + (T - 1) * D, sizeof(float) * D) != 0;
    printf("  \"hello\" and \"hellp\": output rows 0-3 %s, row 4 %s\n", past_same ? "identical" : "DIFFER",
           last_differs ? "differs" : "identical");
    claim(past_same, "changing token 4 leaves rows 0 to 3 of the output bit-for-bit unchanged");
    claim(last_differs, "and it does change row 4, so the test could have failed");
    tape_reset();
}

int main(void) {
    Model m = {0};
    embedding_create(&m.embedding, &m.params, 256, 8, D);
    attention_create(&m.attn, &m.params, "attn", D, HEADS);
    parameters_allocate(&m.params);
    Rng rng;
    rng_seed(&rng, 4);
    parameters_init(&m.params, &rng);
    at_initialisation(&m);
    with_larger_weights(&m, &rng);
    step_by_step(&m);
    causality(&m);
    parameters_free(&m.params);
    tape_free();
    return tutorial_end();
}
