// Grader of exercise 02: layer_norm_backward against gradients computed independently
// (dgain and dbias from their definition, dx by finite differences of a LayerNorm in
// double precision), accumulation, each output NULL in turn, and the gradient checker.
// Each check runs in a child process (grade_run): a crash fails that check only.
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"
#include "tutorials/exercises/graders/grade.h"

enum { ROWS = 3, COLS = 5 };

// The forward pass of a random case and its gradients, computed once, before any
// of your code runs.
typedef struct LayerNormCase {
    float x[ROWS * COLS], gain[COLS], bias[COLS], dout[ROWS * COLS], y[ROWS * COLS], mean[ROWS], rstd[ROWS];
    float dx[ROWS * COLS], dgain[COLS], dbias[COLS];
} LayerNormCase;

// L = Σ_j dout_j·y_j of one row, in double.
static double row_loss(const double *x, const float *gain, const float *bias, const float *dout) {
    double m = 0, v = 0, total = 0;
    for (int j = 0; j < COLS; j++) m += x[j] / COLS;
    for (int j = 0; j < COLS; j++) v += (x[j] - m) * (x[j] - m) / COLS;
    for (int j = 0; j < COLS; j++) total += dout[j] * (gain[j] * (x[j] - m) / sqrt(v + LAYER_NORM_EPS) + bias[j]);
    return total;
}

static void reference(LayerNormCase *c) {
    memset(c->dgain, 0, sizeof c->dgain);
    memset(c->dbias, 0, sizeof c->dbias);
    for (int r = 0; r < ROWS; r++) {
        double row[COLS], m = 0, v = 0;
        for (int j = 0; j < COLS; j++) row[j] = c->x[r * COLS + j], m += row[j] / COLS;
        for (int j = 0; j < COLS; j++) v += (row[j] - m) * (row[j] - m) / COLS;
        for (int j = 0; j < COLS; j++) {
            c->dgain[j] += (float)(c->dout[r * COLS + j] * (row[j] - m) / sqrt(v + LAYER_NORM_EPS));
            c->dbias[j] += c->dout[r * COLS + j];
            double saved = row[j], h = 1e-6;
            row[j] = saved + h;
            double plus = row_loss(row, c->gain, c->bias, c->dout + r * COLS);
            row[j] = saved - h;
            double minus = row_loss(row, c->gain, c->bias, c->dout + r * COLS);
            row[j] = saved;
            c->dx[r * COLS + j] = (float)((plus - minus) / (2 * h));
        }
    }
}

static void make_case(LayerNormCase *c, Rng *rng) {
    for (int i = 0; i < ROWS * COLS; i++) c->x[i] = rng_normal(rng, 1.0f, 2.0f), c->dout[i] = rng_normal(rng, 0.0f, 1.0f);
    for (int j = 0; j < COLS; j++) c->gain[j] = rng_normal(rng, 1.0f, 0.5f), c->bias[j] = rng_normal(rng, 0.0f, 0.5f);
    layer_norm_forward(c->y, c->mean, c->rstd, c->x, c->gain, c->bias, ROWS, COLS);
    reference(c);
}

static void layer_norm_all_three(void *context) {
    const LayerNormCase *c = context;
    float dx[ROWS * COLS] = {0}, dgain[COLS] = {0}, dbias[COLS] = {0};
    layer_norm_backward(dx, dgain, dbias, c->dout, c->x, c->mean, c->rstd, c->gain, ROWS, COLS);
    grade_close("dbias: dout summed over the rows", dbias, c->dbias, COLS, 1e-5f);
    grade_close("dgain: dout·x̂ summed over the rows", dgain, c->dgain, COLS, 1e-4f);
    if (!grade_close("dx, against finite differences in double precision", dx, c->dx, ROWS * COLS, 1e-3f))
        grade_hint("three terms per element: x_j moves x̂_j directly, through the mean, and through rstd");
}

static void layer_norm_accumulates(void *context) {
    const LayerNormCase *c = context;
    float dx[ROWS * COLS], expected_dx[ROWS * COLS], dgain[COLS], dbias[COLS], expected[2 * COLS], got[2 * COLS];
    for (int i = 0; i < ROWS * COLS; i++) dx[i] = 1.0f, expected_dx[i] = c->dx[i] + 1.0f;
    for (int j = 0; j < COLS; j++) dgain[j] = dbias[j] = 1.0f;
    layer_norm_backward(dx, dgain, dbias, c->dout, c->x, c->mean, c->rstd, c->gain, ROWS, COLS);
    for (int j = 0; j < COLS; j++) {
        got[j] = dgain[j], got[COLS + j] = dbias[j];
        expected[j] = c->dgain[j] + 1.0f, expected[COLS + j] = c->dbias[j] + 1.0f;
    }
    bool ok = grade_close("it adds to dx (+=) instead of overwriting it", dx, expected_dx, ROWS * COLS, 1e-3f);
    ok &= grade_close("it adds to dgain and dbias (+=)", got, expected, 2 * COLS, 1e-4f);
    if (!ok) grade_hint("the three arrays arrive holding 1 everywhere here: add your gradients to them");
}

// x needs no gradient (dx == NULL); gain and bias do.
static void layer_norm_without_dx(void *context) {
    const LayerNormCase *c = context;
    float dgain[COLS] = {0}, dbias[COLS] = {0}, got[2 * COLS], expected[2 * COLS];
    layer_norm_backward(NULL, dgain, dbias, c->dout, c->x, c->mean, c->rstd, c->gain, ROWS, COLS);
    memcpy(got, dgain, sizeof dgain), memcpy(got + COLS, dbias, sizeof dbias);
    memcpy(expected, c->dgain, sizeof c->dgain), memcpy(expected + COLS, c->dbias, sizeof c->dbias);
    grade_close("dx == NULL: dgain and dbias are still computed", got, expected, 2 * COLS, 1e-4f);
}

// gain and bias need no gradient (dgain == dbias == NULL); x does.
static void layer_norm_without_dgain(void *context) {
    const LayerNormCase *c = context;
    float dx[ROWS * COLS] = {0};
    layer_norm_backward(dx, NULL, NULL, c->dout, c->x, c->mean, c->rstd, c->gain, ROWS, COLS);
    grade_close("dgain == dbias == NULL: dx is still computed", dx, c->dx, ROWS * COLS, 1e-3f);
}

static Tensor *f_graded_layer_norm(Tensor **in, void *context) {
    (void)context;
    return layer_norm_op(in[0], in[1], in[2]);
}

static void layer_norm_gradient_check(void *context) {
    Rng *rng = context;
    Tensor *in[3] = {tensor_normal(step_arena(), "x", shape2(4, 6), rng, 0.0f, 1.0f),
                     tensor_normal(step_arena(), "gain", shape1(6), rng, 1.0f, 0.3f),
                     tensor_normal(step_arena(), "bias", shape1(6), rng, 0.0f, 0.3f)};
    for (int i = 0; i < 3; i++) requires_grad(in[i]);
    grade_gradients("the layer_norm op on [4, 6]", f_graded_layer_norm, NULL, in, 3);
}

int main(void) {
    grade_begin("exercise 02, layer_norm_backward");
    Rng rng;
    rng_seed(&rng, 2);
    static LayerNormCase c;
    make_case(&c, &rng);
    const char *bounds = "do you read or write outside the arrays: dx and x hold rows·cols, dgain and dbias cols?";
    grade_run("all three gradients", bounds, layer_norm_all_three, &c);
    grade_run("accumulation", bounds, layer_norm_accumulates, &c);
    grade_run("dx == NULL", "dx was NULL (x needs no gradient): check it before writing to it, and skip dx",
              layer_norm_without_dx, &c);
    grade_run("dgain == dbias == NULL",
              "dgain and dbias were NULL (gain and bias need no gradient): check each before writing to it",
              layer_norm_without_dgain, &c);
    grade_run("the layer_norm op", bounds, layer_norm_gradient_check, &rng);
    tape_free();
    return grade_end();
}
