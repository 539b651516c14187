// Grader of exercise 04: scaled_dot_product_attention on a case worked out by hand,
// a two-head case against a reference written with loops (it tells 1/√d_head from
// 1/√d_model), the rows of its weights, causality, dropout on the weights, and the
// gradient checker for q, k and v. Each check runs in a child process (grade_run): a
// crash fails that check only.
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "nn/attention.h"
#include "tensor/kernels.h"
#include "tutorials/exercises/graders/grade.h"

enum { B = 1, H = 2, T = 4, DK = 3, N_QKV = B * H * T * DK, N_WEIGHTS = B * H * T * T };

// One head, Q = K = V = x with x = (1,0), (0,1), (1,1). Row 1 weighs x0 and x1 by
// softmax(0, 1/√2); row 2 weighs x0, x1, x2 by softmax(1/√2, 1/√2, 2/√2).
static void attention_by_hand(void *context) {
    (void)context;
    float xv[] = {1, 0, 0, 1, 1, 1};
    Tensor *x = tensor_from_array(step_arena(), "x", shape4(1, 1, 3, 2), xv);
    Tensor *weights = NULL;
    Tensor *y = scaled_dot_product_attention(x, x, x, NULL, &weights);
    if (!grade_true(y != NULL && weights != NULL, "it returns the result and stores the weights in *weights")) return;
    if (!grade_true(shape_equal(y->shape, x->shape) && shape_equal(weights->shape, shape4(1, 1, 3, 3)),
                    "the result is [1, 1, 3, 2] and the weights [1, 1, 3, 3]"))
        return;
    float expected_w[] = {1, 0, 0, 0.33023845f, 0.66976155f, 0, 0.24825508f, 0.24825508f, 0.50348984f};
    float expected_y[] = {1.0f, 0.0f, 0.33023845f, 0.66976155f, 0.75174492f, 0.75174492f};
    grade_close("the weights of the hand-computed case", weights->data, expected_w, 9, 1e-6f);
    grade_close("the result of the hand-computed case", y->data, expected_y, 6, 1e-6f);
}

// q, k, v [B, H, T, DK] and what attention makes of them, by loops in double:
// weights = softmax(mask(q·kᵀ/√DK)) and y = (weights ⊙ keep)·v, keep = 1 without dropout.
typedef struct AttentionCase {
    float q[N_QKV], k[N_QKV], v[N_QKV];
    float weights[N_WEIGHTS], y[N_QKV];
} AttentionCase;

static void reference_attention(AttentionCase *c, const float *keep) {
    for (int s = 0; s < B * H; s++)
        for (int i = 0; i < T; i++) {
            double score[T], total = 0, top = -INFINITY;
            for (int j = 0; j <= i; j++) {
                score[j] = 0;
                for (int e = 0; e < DK; e++) score[j] += (double)c->q[(s * T + i) * DK + e] * c->k[(s * T + j) * DK + e];
                score[j] /= sqrt((double)DK);
                if (score[j] > top) top = score[j];
            }
            for (int j = 0; j <= i; j++) total += exp(score[j] - top);
            float *w = c->weights + (s * T + i) * T, *y = c->y + (s * T + i) * DK;
            for (int j = 0; j < T; j++) w[j] = j <= i ? (float)(exp(score[j] - top) / total) : 0.0f;
            for (int e = 0; e < DK; e++) {
                double out = 0;
                for (int j = 0; j <= i; j++) out += (double)w[j] * (keep ? keep[(s * T + i) * T + j] : 1.0f) * c->v[(s * T + j) * DK + e];
                y[e] = (float)out;
            }
        }
}

typedef struct Graded {
    Tensor *y, *weights;
} Graded;

static Graded run_graded(const AttentionCase *c, const Dropout *dropout) {
    Tensor *q = tensor_from_array(step_arena(), "q", shape4(B, H, T, DK), c->q);
    Tensor *k = tensor_from_array(step_arena(), "k", shape4(B, H, T, DK), c->k);
    Tensor *v = tensor_from_array(step_arena(), "v", shape4(B, H, T, DK), c->v);
    Graded g = {NULL, NULL};
    g.y = scaled_dot_product_attention(q, k, v, dropout, &g.weights);
    return g;
}

static bool returned(Graded g) {
    return grade_true(g.y != NULL && g.weights != NULL && g.y->size == N_QKV && g.weights->size == N_WEIGHTS,
                      "it returns a [1, 2, 4, 3] result and [1, 2, 4, 4] weights");
}

static void attention_two_heads(void *context) {
    AttentionCase *c = context;
    reference_attention(c, NULL);
    Graded g = run_graded(c, NULL);
    if (!returned(g)) return;
    bool ok = grade_close("two heads of width 3: the weights", g.weights->data, c->weights, N_WEIGHTS, 1e-5f);
    ok &= grade_close("two heads of width 3: the result", g.y->data, c->y, N_QKV, 1e-5f);
    if (!ok) grade_hint("the scale is 1/√d_head with d_head = tensor_cols(q), the width of one head; "
                        "d_model = heads·d_head would scale by 1/√6 here");
}

// Changing k and v at the last position must leave the earlier outputs unchanged.
static void attention_rows_and_causality(void *context) {
    Rng *rng = context;
    Tensor *q = tensor_normal(step_arena(), "q", shape4(2, 2, 5, 4), rng, 0.0f, 1.0f);
    Tensor *k = tensor_normal(step_arena(), "k", shape4(2, 2, 5, 4), rng, 0.0f, 1.0f);
    Tensor *v = tensor_normal(step_arena(), "v", shape4(2, 2, 5, 4), rng, 0.0f, 1.0f);
    Tensor *weights;
    Tensor *before = scaled_dot_product_attention(q, k, v, NULL, &weights);
    bool rows_ok = true;
    for (long row = 0; row < tensor_rows(weights); row++) {
        double total = 0;
        for (int j = 0; j < 5; j++) total += weights->data[row * 5 + j];
        for (int j = (int)(row % 5) + 1; j < 5; j++) rows_ok &= weights->data[row * 5 + j] == 0.0f;
        rows_ok &= fabs(total - 1.0) < 1e-5;
    }
    grade_true(rows_ok, "every row of weights sums to 1 and is exactly 0 above the diagonal");
    for (long s = 0; s < 4; s++)  // every (sequence, head) pair: position 4 is the last row
        for (int j = 0; j < 4; j++) k->data[(s * 5 + 4) * 4 + j] += 1.0f, v->data[(s * 5 + 4) * 4 + j] -= 1.0f;
    Tensor *after = scaled_dot_product_attention(q, k, v, NULL, &weights);
    bool unchanged = true;
    for (long s = 0; s < 4; s++) unchanged &= memcmp(before->data + s * 20, after->data + s * 20, sizeof(float) * 16) == 0;
    grade_true(unchanged, "causality: changing k and v at position 4 leaves the outputs at 0-3 unchanged");
}

// Training with p = 0.5: the weights are kept as the softmax made them, and the
// result is the weights after dropout (the mask apply_dropout draws) times V.
static void attention_dropout(void *context) {
    AttentionCase *c = context;
    enum { DROPOUT_SEED = 7 };
    Rng rng, same;
    rng_seed(&rng, DROPOUT_SEED), rng_seed(&same, DROPOUT_SEED);
    float keep[N_WEIGHTS];
    dropout_mask(keep, N_WEIGHTS, 0.5f, &same);  // the mask apply_dropout will draw first
    reference_attention(c, keep);
    Dropout half = {.p = 0.5f, .rng = &rng};
    Graded g = run_graded(c, &half);
    if (!returned(g)) return;
    if (!grade_close("dropout: *weights holds the softmax before the dropout", g.weights->data, c->weights, N_WEIGHTS,
                     1e-5f))
        grade_hint("store the softmax's output in *weights, then drop out a copy of it: apply_dropout returns a new "
                   "tensor");
    if (!grade_close("dropout: the result is (the weights after dropout)·V", g.y->data, c->y, N_QKV, 1e-5f))
        grade_hint("apply_dropout(dropout, weights) once, on the weights, between the softmax and the product with V");
}

static Tensor *f_graded_attention(Tensor **in, void *context) {
    (void)context;
    Tensor *weights;
    return scaled_dot_product_attention(in[0], in[1], in[2], NULL, &weights);
}

static void attention_gradients(void *context) {
    Rng *rng = context;
    Tensor *in[3];
    const char *names[3] = {"q", "k", "v"};
    for (int i = 0; i < 3; i++) {
        in[i] = tensor_normal(step_arena(), names[i], shape4(1, 2, 4, 3), rng, 0.0f, 1.0f);
        requires_grad(in[i]);
    }
    // backward() needs the result on the tape: built from ops, not by hand
    if (grade_true(f_graded_attention(in, NULL)->requires_grad, "the result is recorded on the tape (built from ops)"))
        grade_gradients("q, k and v of [1, 2, 4, 3]", f_graded_attention, NULL, in, 3);
}

int main(void) {
    grade_begin("exercise 04, scaled_dot_product_attention");
    const char *shapes = "an op aborts when the shapes do not fit (its message is above): "
                         "Q·Kᵀ is matmul_transposed(q, k), the weights·V is matmul(weights, v)";
    if (grade_run("the hand-computed case", shapes, attention_by_hand, NULL)) {
        Rng rng;
        rng_seed(&rng, 4);
        static AttentionCase c;
        for (int i = 0; i < N_QKV; i++)
            c.q[i] = rng_normal(&rng, 0.0f, 1.0f), c.k[i] = rng_normal(&rng, 0.0f, 1.0f), c.v[i] = rng_normal(&rng, 0.0f, 1.0f);
        grade_run("two heads", shapes, attention_two_heads, &c);
        grade_run("rows and causality", shapes, attention_rows_and_causality, &rng);
        grade_run("dropout", shapes, attention_dropout, &c);
        grade_run("the gradients", shapes, attention_gradients, &rng);
    }
    tape_free();
    return grade_end();
}
