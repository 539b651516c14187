#include "nn/embedding.h"

#include <stdio.h>
#include <stdlib.h>

#include "autograd/ops.h"
#include "autograd/tape.h"

void embedding_create(Embedding *e, ParameterTable *params, int vocab_size, int n_ctx, int d) {
    e->tokens = parameter_add(params, "wte.weight", shape2(vocab_size, d), INIT_NORMAL);
    e->positions = parameter_add(params, "wpe.weight", shape2(n_ctx, d), INIT_NORMAL);
    e->dropout = NULL;
}

static void check_tokens(const Embedding *e, const int *tokens, int batch, int seq) {
    int vocab = e->tokens->shape.dims[0], n_ctx = e->positions->shape.dims[0];
    if (seq > n_ctx) {
        fprintf(stderr, "embed: a sequence of %d tokens is longer than the context window (n_ctx = %d)\n", seq, n_ctx);
        abort();
    }
    for (long i = 0; i < (long)batch * seq; i++)
        if (tokens[i] < 0 || tokens[i] >= vocab) {
            fprintf(stderr, "embed: token id %d at [%ld, %ld] is outside the vocabulary of %d tokens\n", tokens[i],
                    i / seq, i % seq, vocab);
            abort();
        }
}

// Eq: h0 = U·We + Wp;  tokens [b, t] -> [b, t, d]. Selecting row u of We is the product of
// u's one-hot vector with We; position p likewise selects row p of Wp.
Tensor *embed(const Embedding *e, const int *tokens, int batch, int seq) {
    check_tokens(e, tokens, batch, seq);
    int *positions = arena_alloc(step_arena(), sizeof(int) * (size_t)batch * (size_t)seq);
    for (long i = 0; i < (long)batch * seq; i++) positions[i] = (int)(i % seq);
    // Two statements, not two arguments of add(): C leaves the order in which arguments
    // are evaluated to the compiler, and the order of these nodes on the tape (the
    // token lookup first) must not depend on it.
    Tensor *token_rows = gather_rows(e->tokens, tokens, shape2(batch, seq));
    Tensor *position_rows = gather_rows(e->positions, positions, shape2(batch, seq));
    return apply_dropout(e->dropout, add(token_rows, position_rows));
}
