// Tutorial 03: the input embedding, h0 = U·We + Wp. Read tutorials/03_embeddings.md
// alongside; run with build/tutorials/03_embeddings.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=03 V=<name>` (`make tutorials` runs them all):
// Try: same_token -DTRY_SAME_TOKEN
// Try: init -DTRY_INIT
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "gpt/tokenizer/tokenizer.h"
#include "nn/embedding.h"
#include "tutorials/tutorial.h"

enum { VOCAB = 10, N_CTX = 4, D = 3, SEQ = 4 };
#ifdef TRY_SAME_TOKEN
static const int TOKENS[SEQ] = {1, 1, 1, 1};  // Try this: one token at all four positions
#else
static const int TOKENS[SEQ] = {3, 1, 4, 1};  // token 1 occurs twice
#endif

// Readable values instead of N(0, 0.02): row u of We is (u, −u, 10u), row p of Wp is
// (0.1p, 0.2p, 0.3p), so every number of h0 can be checked by eye.
static void readable_weights(Embedding *e) {
    for (int u = 0; u < VOCAB; u++) {
        float row[D] = {(float)u, (float)-u, 10.0f * (float)u};
        memcpy(e->tokens->data + u * D, row, sizeof row);
    }
    for (int p = 0; p < N_CTX; p++)
        for (int j = 0; j < D; j++) e->positions->data[p * D + j] = 0.1f * (float)(p * (j + 1));
}

static bool same(const float *a, const float *b, long n) {
    for (long i = 0; i < n; i++)
        if (fabsf(a[i] - b[i]) > 1e-5f) return false;
    return true;
}

static void the_lookup(Embedding *e) {
    char title[64];
    snprintf(title, sizeof title, "1. h0 = U·We + Wp, for the tokens %d %d %d %d", TOKENS[0], TOKENS[1], TOKENS[2],
             TOKENS[3]);
    section(title);
    Tensor *h0 = embed(e, TOKENS, 1, SEQ);
    print_matrix("We (one row per token id, ids 0 to 9):", e->tokens->data, VOCAB, D);
    print_matrix("Wp (one row per position):", e->positions->data, N_CTX, D);
    print_matrix("h0 (one row per position):", h0->data, SEQ, D);
    bool rows_ok = true;
    for (int t = 0; t < SEQ; t++)
        for (int j = 0; j < D; j++)
            rows_ok &= h0->data[t * D + j] == e->tokens->data[TOKENS[t] * D + j] + e->positions->data[t * D + j];
    claim(rows_ok, "row t of h0 is row u_t of We plus row t of Wp");
    claim(!same(h0->data + 1 * D, h0->data + 3 * D, D), "the same token at two positions gets two different rows");

    // U is the one-hot matrix of the context: U[t, u] = 1 when token t is u.
    Tensor *u = tensor_zeros(step_arena(), "U", shape2(SEQ, VOCAB));
    for (int t = 0; t < SEQ; t++) u->data[t * VOCAB + TOKENS[t]] = 1.0f;
    Tensor *product = add(matmul(u, e->tokens), e->positions);
    claim(same(product->data, h0->data, SEQ * D), "the one-hot product U·We + Wp gives the same h0 as the lookup");
    tape_reset();
}

static void the_gradient(Embedding *e, ParameterTable *params) {
    section("2. The gradient of a lookup is a scatter-add");
    parameters_zero_grad(params);
    Tensor *loss = sum(embed(e, TOKENS, 1, SEQ));  // dL/dh0 = 1 everywhere
    backward(loss);
    print_matrix("dL/dWe:", e->tokens->grad, VOCAB, D);
    print_matrix("dL/dWp:", e->positions->grad, N_CTX, D);
#ifdef TRY_SAME_TOKEN
    bool others_zero = true;
    for (int i = 0; i < VOCAB * D; i++) others_zero &= i / D == 1 || e->tokens->grad[i] == 0.0f;
    claim(e->tokens->grad[1 * D] == 4.0f && others_zero, "row 1 of We, used four times, receives 4; every other row 0");
#else
    claim(e->tokens->grad[1 * D] == 2.0f, "row 1 of We, used twice, receives the sum of two gradients");
    claim(e->tokens->grad[3 * D] == 1.0f && e->tokens->grad[0] == 0.0f, "rows used once get 1, unused rows 0");
#endif
    claim(e->positions->grad[3 * D + 2] == 1.0f, "every position row is used once");
    tape_reset();
}

#ifdef TRY_INIT
// With N(0, 0.02) rows, every value of h0 = We[u] + Wp[p] is a sum of two N(0, 0.02)
// numbers, of standard deviation √(0.02² + 0.02²) ≈ 0.028: that is the scale the first
// block receives.
static void scale_of_h0(Embedding *e) {
    section("Try this: the scale of h0 at initialisation");
    Tensor *h0 = embed(e, TOKENS, 1, SEQ);
    double squares = 0, largest = 0;
    for (long i = 0; i < h0->size; i++) squares += (double)h0->data[i] * h0->data[i], largest = fmax(largest, fabs(h0->data[i]));
    printf("  h0: %ld values, root mean square %.4f, largest %.4f: sums of two N(0, 0.02) numbers\n", h0->size,
           sqrt(squares / (double)h0->size), largest);
    claim(largest < 0.1, "every value of h0 is below 0.1 in size (the readable weights gave up to 40)");
    tape_reset();
}
#endif

static void real_tokens(void) {
    section("3. Where token ids come from");
    Tokenizer bytes;
    tokenizer_init_bytes(&bytes);
    char error[128];
    long n;
    int *ids = tokenizer_encode(&bytes, "hello", 5, &n, error, sizeof error);
    printf("  the bytes tokenizer turns \"hello\" into %ld ids:", n);
    for (long i = 0; i < n; i++) printf(" %d", ids[i]);
    printf("\n  (the byte values: h = 104, e = 101, l = 108, o = 111)\n");
    claim(n == 5 && ids[0] == 104 && ids[2] == ids[3], "one id per byte; both l's are id 108");
    free(ids);
    tokenizer_free(&bytes);
}

int main(void) {
    ParameterTable params = {0};
    Embedding e;
    embedding_create(&e, &params, VOCAB, N_CTX, D);
    parameters_allocate(&params);
    readable_weights(&e);
#ifdef TRY_INIT
    // Try this: the model's own initialisation instead, N(0, 0.02), over the readable values.
    Rng rng;
    rng_seed(&rng, 3);
    parameters_init(&params, &rng);
#endif
    the_lookup(&e);
#ifdef TRY_INIT
    scale_of_h0(&e);
#endif
    the_gradient(&e, &params);
    real_tokens();
    parameters_free(&params);
    tape_free();
    return tutorial_end();
}
