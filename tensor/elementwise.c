#include <math.h>

#include <stddef.h>

#include "tensor/kernels.h"
#include "tensor/parallel.h"

// Large arrays are shared out among the threads (tensor/parallel.h). A kernel that
// splits is its loop (*_range or *_rows, the code that also runs on one thread), a part
// function that points the loop at one range, and the public kernel, which calls
// parallel_for. The arrays of one call, for the part functions:
typedef struct ElementsJob {
    float *out, *out2;            // out or dx or da; db
    const float *in, *in2;        // x, a or dout; b or x
    long n, row_length;           // all the elements; b_size (rows of a bias)
    float scalar;
} ElementsJob;

// n / b_size rows: out[r, j] = a[r, j] + b[j]
static void add_forward_rows(float *out, const float *a, const float *b, long n, long b_size) {
    for (long start = 0; start < n; start += b_size)
        for (long j = 0; j < b_size; j++) out[start + j] = a[start + j] + b[j];
}

static void add_forward_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    long at = first * p->row_length;
    add_forward_rows(p->out + at, p->in + at, p->in2, (end - first) * p->row_length, p->row_length);
}

static void add_elements_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    float *out = p->out;
    const float *a = p->in, *b = p->in2;
    for (long i = first; i < end; i++) out[i] = a[i] + b[i];
}

// Equal sizes (a residual connection) split into elements, a bias into rows.
void add_forward(float *out, const float *a, const float *b, long n, long b_size) {
    ElementsJob job = {.out = out, .in = a, .in2 = b, .n = n, .row_length = b_size};
    if (b_size == n) parallel_for(n, 1.0, add_elements_part, &job);
    else parallel_for(n / b_size, (double)b_size, add_forward_part, &job);
}

static void add_backward_input_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    float *da = p->out;
    const float *dout = p->in;
    for (long i = first; i < end; i++) da[i] += dout[i];
}

// db[j] += Σ_r dout[r, j] for the columns first .. end - 1. The threads split the
// columns, never the rows: each column is summed over the rows in order.
static void add_backward_bias_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    float *db = p->out2;
    const float *dout = p->in;
    for (long start = 0; start < p->n; start += p->row_length)
        for (long j = first; j < end; j++) db[j] += dout[start + j];
}

// forward: out[i] = a[i] + b[i % b_size], so da[i] += dout[i] and db[j] += Σ_{i % b_size = j} dout[i]:
// a bias collects the gradient of every row it was added to
void add_backward(float *da, float *db, const float *dout, long n, long b_size) {
    ElementsJob job = {.out = da, .out2 = db, .in = dout, .n = n, .row_length = b_size};
    if (da != NULL) parallel_for(n, 1.0, add_backward_input_part, &job);
    if (db != NULL) parallel_for(b_size, (double)(n / b_size), add_backward_bias_part, &job);
}

void mul_forward(float *out, const float *a, const float *b, long n) {
    for (long i = 0; i < n; i++) out[i] = a[i] * b[i];
}

// forward: out[i] = a[i]·b[i], so da[i] += dout[i]·b[i] and db[i] += dout[i]·a[i]
void mul_backward(float *da, float *db, const float *dout, const float *a, const float *b, long n) {
    if (da != NULL)
        for (long i = 0; i < n; i++) da[i] += dout[i] * b[i];
    if (db != NULL)
        for (long i = 0; i < n; i++) db[i] += dout[i] * a[i];
}

static void scale_forward_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    float *out = p->out, s = p->scalar;
    const float *x = p->in;
    for (long i = first; i < end; i++) out[i] = s * x[i];
}

static void scale_backward_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    float *dx = p->out, s = p->scalar;
    const float *dout = p->in;
    for (long i = first; i < end; i++) dx[i] += s * dout[i];
}

// out may be x itself (clip_gradients scales the gradients in place).
void scale_forward(float *out, const float *x, float s, long n) {
    parallel_for(n, 1.0, scale_forward_part, &(ElementsJob){.out = out, .in = x, .scalar = s});
}

// forward: out[i] = s·x[i], so dx[i] += s·dout[i]
void scale_backward(float *dx, const float *dout, float s, long n) {
    parallel_for(n, 1.0, scale_backward_part, &(ElementsJob){.out = dx, .in = dout, .scalar = s});
}

static void relu_forward_range(float *out, const float *x, long n) {
    for (long i = 0; i < n; i++) out[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

// forward: out[i] = max(0, x[i]), so dx[i] += dout[i] where x[i] > 0 and nothing elsewhere
// (at x = 0 too: the subgradient 0 is chosen)
static void relu_backward_range(float *dx, const float *dout, const float *x, long n) {
    for (long i = 0; i < n; i++) dx[i] += x[i] > 0.0f ? dout[i] : 0.0f;
}

#define GELU_SCALE 0.7978845608028654f  // sqrt(2 / pi)
#define GELU_CUBIC 0.044715f

// Eq: GELU(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
static void gelu_forward_range(float *out, const float *x, long n) {
    for (long i = 0; i < n; i++) {
        float u = GELU_SCALE * (x[i] + GELU_CUBIC * x[i] * x[i] * x[i]);
        out[i] = 0.5f * x[i] * (1.0f + tanhf(u));
    }
}

// forward: out[i] = 0.5·x·(1 + tanh u), u = √(2/π)·(x + 0.044715·x³) (x = x[i]), so
//   dx[i] += dout[i]·(0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·du/dx),  du/dx = √(2/π)·(1 + 3·0.044715·x²)
// (the product rule: the first term differentiates x, the second tanh u)
static void gelu_backward_range(float *dx, const float *dout, const float *x, long n) {
    for (long i = 0; i < n; i++) {
        float u = GELU_SCALE * (x[i] + GELU_CUBIC * x[i] * x[i] * x[i]);
        float th = tanhf(u);
        float du = GELU_SCALE * (1.0f + 3.0f * GELU_CUBIC * x[i] * x[i]);
        dx[i] += dout[i] * (0.5f * (1.0f + th) + 0.5f * x[i] * (1.0f - th * th) * du);
    }
}

static void relu_forward_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    relu_forward_range(p->out + first, p->in + first, end - first);
}

static void relu_backward_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    relu_backward_range(p->out + first, p->in + first, p->in2 + first, end - first);
}

static void gelu_forward_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    gelu_forward_range(p->out + first, p->in + first, end - first);
}

static void gelu_backward_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    gelu_backward_range(p->out + first, p->in + first, p->in2 + first, end - first);
}

// The work per element, in rough floating-point operations (a tanhf counts for about 20).
void relu_forward(float *out, const float *x, long n) {
    parallel_for(n, 1.0, relu_forward_part, &(ElementsJob){.out = out, .in = x});
}

void relu_backward(float *dx, const float *dout, const float *x, long n) {
    parallel_for(n, 1.0, relu_backward_part, &(ElementsJob){.out = dx, .in = dout, .in2 = x});
}

void gelu_forward(float *out, const float *x, long n) {
    parallel_for(n, 25.0, gelu_forward_part, &(ElementsJob){.out = out, .in = x});
}

void gelu_backward(float *dx, const float *dout, const float *x, long n) {
    parallel_for(n, 30.0, gelu_backward_part, &(ElementsJob){.out = dx, .in = dout, .in2 = x});
}

static void subtract_scaled_part(void *context, long first, long end) {
    const ElementsJob *p = context;
    float *x = p->out, s = p->scalar;
    const float *dx = p->in;
    for (long i = first; i < end; i++) x[i] -= s * dx[i];
}

// x[i] -= s·dx[i]: the SGD update of gpt/sgd.c, over the whole parameter buffer.
void subtract_scaled(float *x, const float *dx, float s, long n) {
    parallel_for(n, 2.0, subtract_scaled_part, &(ElementsJob){.out = x, .in = dx, .scalar = s});
}

typedef struct AdamJob {
    float *x, *m, *v;
    const float *g;
    AdamCoefficients c;
} AdamJob;

static void adam_update_part(void *context, long first, long end) {
    const AdamJob *p = context;
    const AdamCoefficients c = p->c;
    for (long i = first; i < end; i++) {
        float g = p->g[i];
        p->m[i] = c.beta1 * p->m[i] + (1.0f - c.beta1) * g;
        p->v[i] = c.beta2 * p->v[i] + (1.0f - c.beta2) * g * g;
        float m_hat = p->m[i] / c.correction1, v_hat = p->v[i] / c.correction2;
        p->x[i] -= c.lr * m_hat / (sqrtf(v_hat) + c.epsilon);
    }
}

void adam_update(float *x, float *m, float *v, const float *g, AdamCoefficients c, long n) {
    parallel_for(n, 12.0, adam_update_part, &(AdamJob){.x = x, .m = m, .v = v, .g = g, .c = c});
}
