// Grader of exercise 02: layer_norm_backward against gradients computed independently
// (dgain and dbias from their definition, dx by finite differences of a LayerNorm in
// double precision), accumulation, NULL outputs, and the gradient checker.
#include <math.h>
#include <string.h>

#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tensor/kernels.h"
#include "tutorials/exercises/graders/grade.h"

enum { ROWS = 3, COLS = 5 };

// L = Σ_j dout_j·y_j of one row, in double.
static double row_loss(const double *x, const float *gain, const float *bias, const float *dout) {
    double m = 0, v = 0, total = 0;
    for (int j = 0; j < COLS; j++) m += x[j] / COLS;
    for (int j = 0; j < COLS; j++) v += (x[j] - m) * (x[j] - m) / COLS;
    for (int j = 0; j < COLS; j++) total += dout[j] * (gain[j] * (x[j] - m) / sqrt(v + LAYER_NORM_EPS) + bias[j]);
    return total;
}

static void reference(float *dx, float *dgain, float *dbias, const float *x, const float *gain, const float *bias,
                      const float *dout) {
    memset(dgain, 0, sizeof(float) * COLS);
    memset(dbias, 0, sizeof(float) * COLS);
    for (int r = 0; r < ROWS; r++) {
        double row[COLS], m = 0, v = 0;
        for (int j = 0; j < COLS; j++) row[j] = x[r * COLS + j], m += row[j] / COLS;
        for (int j = 0; j < COLS; j++) v += (row[j] - m) * (row[j] - m) / COLS;
        for (int j = 0; j < COLS; j++) {
            dgain[j] += (float)(dout[r * COLS + j] * (row[j] - m) / sqrt(v + LAYER_NORM_EPS));
            dbias[j] += dout[r * COLS + j];
            double saved = row[j], h = 1e-6;
            row[j] = saved + h;
            double plus = row_loss(row, gain, bias, dout + r * COLS);
            row[j] = saved - h;
            double minus = row_loss(row, gain, bias, dout + r * COLS);
            row[j] = saved;
            dx[r * COLS + j] = (float)((plus - minus) / (2 * h));
        }
    }
}

static Tensor *f_graded_layer_norm(Tensor **in, void *context) {
    (void)context;
    return layer_norm_op(in[0], in[1], in[2]);
}

int main(void) {
    grade_begin("exercise 02, layer_norm_backward");
    Rng rng;
    rng_seed(&rng, 2);
    float x[ROWS * COLS], gain[COLS], bias[COLS], dout[ROWS * COLS], y[ROWS * COLS], mean[ROWS], rstd[ROWS];
    for (int i = 0; i < ROWS * COLS; i++) x[i] = rng_normal(&rng, 1.0f, 2.0f), dout[i] = rng_normal(&rng, 0.0f, 1.0f);
    for (int j = 0; j < COLS; j++) gain[j] = rng_normal(&rng, 1.0f, 0.5f), bias[j] = rng_normal(&rng, 0.0f, 0.5f);
    layer_norm_forward(y, mean, rstd, x, gain, bias, ROWS, COLS);
    float ref_dx[ROWS * COLS], ref_dgain[COLS], ref_dbias[COLS];
    reference(ref_dx, ref_dgain, ref_dbias, x, gain, bias, dout);

    float dx[ROWS * COLS] = {0}, dgain[COLS] = {0}, dbias[COLS] = {0};
    layer_norm_backward(dx, dgain, dbias, dout, x, mean, rstd, gain, ROWS, COLS);
    grade_close("dbias: dout summed over the rows", dbias, ref_dbias, COLS, 1e-5f);
    grade_close("dgain: dout·x̂ summed over the rows", dgain, ref_dgain, COLS, 1e-4f);
    grade_close("dx, against finite differences in double precision", dx, ref_dx, ROWS * COLS, 1e-3f);

    float dx2[ROWS * COLS], expected[ROWS * COLS];
    for (int i = 0; i < ROWS * COLS; i++) dx2[i] = 1.0f, expected[i] = ref_dx[i] + 1.0f;
    layer_norm_backward(dx2, NULL, NULL, dout, x, mean, rstd, gain, ROWS, COLS);
    grade_close("it adds to dx (+=), and accepts NULL for dgain and dbias", dx2, expected, ROWS * COLS, 1e-3f);

    Tensor *in[3] = {tensor_normal(step_arena(), "x", shape2(4, 6), &rng, 0.0f, 1.0f),
                     tensor_normal(step_arena(), "gain", shape1(6), &rng, 1.0f, 0.3f),
                     tensor_normal(step_arena(), "bias", shape1(6), &rng, 0.0f, 0.3f)};
    for (int i = 0; i < 3; i++) requires_grad(in[i]);
    grade_gradients("the layer_norm op (x, gain, bias) on [4, 6]", f_graded_layer_norm, NULL, in, 3);
    tape_free();
    return grade_end();
}
