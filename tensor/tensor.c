#include "tensor/tensor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Shape shape1(int d0) { return (Shape){1, {d0, 0, 0, 0}}; }
Shape shape2(int d0, int d1) { return (Shape){2, {d0, d1, 0, 0}}; }
Shape shape3(int d0, int d1, int d2) { return (Shape){3, {d0, d1, d2, 0}}; }
Shape shape4(int d0, int d1, int d2, int d3) { return (Shape){4, {d0, d1, d2, d3}}; }

long shape_size(Shape shape) {
    long n = 1;
    for (int i = 0; i < shape.ndim; i++) n *= shape.dims[i];
    return n;
}

bool shape_equal(Shape a, Shape b) {
    if (a.ndim != b.ndim) return false;
    for (int i = 0; i < a.ndim; i++)
        if (a.dims[i] != b.dims[i]) return false;
    return true;
}

const char *shape_string(Shape shape, char *buf, size_t len) {
    size_t at = (size_t)snprintf(buf, len, "[");
    for (int i = 0; i < shape.ndim && i < TENSOR_MAX_DIMS && at < len; i++)  // an invalid shape prints too
        at += (size_t)snprintf(buf + at, len - at, i ? ",%d" : "%d", shape.dims[i]);
    if (at < len) snprintf(buf + at, len - at, "]");
    return buf;
}

static void check_shape_valid(const char *name, Shape shape) {
    bool ok = shape.ndim >= 1 && shape.ndim <= TENSOR_MAX_DIMS;
    for (int i = 0; ok && i < shape.ndim; i++) ok = shape.dims[i] > 0;
    if (!ok) {
        char buf[64];
        fprintf(stderr, "tensor '%s': invalid shape %s (1 to 4 positive dimensions)\n", name,
                shape_string(shape, buf, sizeof buf));
        abort();
    }
}

void tensor_set_name(Tensor *t, const char *name) {
    snprintf(t->name, sizeof t->name, "%s", name ? name : "");
}

void tensor_wrap(Tensor *t, const char *name, Shape shape, float *data, float *grad) {
    check_shape_valid(name, shape);
    memset(t, 0, sizeof *t);
    tensor_set_name(t, name);
    t->shape = shape;
    t->size = shape_size(shape);
    t->data = data;
    t->grad = grad;
}

Tensor *tensor_empty(Arena *arena, const char *name, Shape shape) {
    check_shape_valid(name, shape);
    size_t bytes = (size_t)shape_size(shape) * sizeof(float);
    Tensor *t;
    float *data;
    if (arena != NULL) {
        t = arena_alloc(arena, sizeof *t);
        data = arena_alloc(arena, bytes);
    } else {
        t = malloc(sizeof *t);
        data = malloc(bytes);
        if (t == NULL || data == NULL) {
            fprintf(stderr, "tensor '%s': out of memory for %zu bytes\n", name, bytes);
            abort();
        }
    }
    tensor_wrap(t, name, shape, data, NULL);
    return t;
}

Tensor *tensor_zeros(Arena *arena, const char *name, Shape shape) {
    return tensor_filled(arena, name, shape, 0.0f);
}

Tensor *tensor_filled(Arena *arena, const char *name, Shape shape, float value) {
    Tensor *t = tensor_empty(arena, name, shape);
    for (long i = 0; i < t->size; i++) t->data[i] = value;
    return t;
}

Tensor *tensor_from_array(Arena *arena, const char *name, Shape shape, const float *values) {
    Tensor *t = tensor_empty(arena, name, shape);
    memcpy(t->data, values, (size_t)t->size * sizeof(float));
    return t;
}

Tensor *tensor_normal(Arena *arena, const char *name, Shape shape, Rng *rng, float mean, float std) {
    Tensor *t = tensor_empty(arena, name, shape);
    for (long i = 0; i < t->size; i++) t->data[i] = rng_normal(rng, mean, std);
    return t;
}

Tensor *tensor_uniform(Arena *arena, const char *name, Shape shape, Rng *rng, float low, float high) {
    Tensor *t = tensor_empty(arena, name, shape);
    for (long i = 0; i < t->size; i++) t->data[i] = low + (high - low) * rng_uniform(rng);
    return t;
}

void tensor_free(Tensor *t) {
    if (t == NULL) return;
    free(t->data);
    free(t->grad);
    free(t);
}

int tensor_cols(const Tensor *t) { return t->shape.dims[t->shape.ndim - 1]; }
long tensor_rows(const Tensor *t) { return t->size / tensor_cols(t); }

long first_non_finite(const float *values, long n) {
    for (long i = 0; i < n; i++)
        if (!isfinite(values[i])) return i;
    return -1;
}

bool tensor_is_finite(const Tensor *t) { return first_non_finite(t->data, t->size) < 0; }

static void print_values(FILE *file, const char *label, const float *v, long n) {
    double sum = 0;
    float lo = v[0], hi = v[0];
    for (long i = 0; i < n; i++) {
        sum += v[i];
        lo = fminf(lo, v[i]);
        hi = fmaxf(hi, v[i]);
    }
    fprintf(file, "  %s:", label);
    for (long i = 0; i < n && i < 6; i++) fprintf(file, " %.6g", v[i]);
    fprintf(file, "%s  min %.6g max %.6g mean %.6g\n", n > 6 ? " ..." : "", lo, hi, sum / (double)n);
}

void tensor_fprint(FILE *file, const Tensor *t) {
    char buf[64];
    if (t == NULL) {
        fprintf(file, "(null tensor)\n");
        return;
    }
    fprintf(file, "tensor '%s' %s, %ld values%s\n", t->name, shape_string(t->shape, buf, sizeof buf), t->size,
            t->requires_grad ? ", requires grad" : "");
    print_values(file, "data", t->data, t->size);
    if (t->grad != NULL) print_values(file, "grad", t->grad, t->size);
    fflush(file);
}

void tensor_print(const Tensor *t) { tensor_fprint(stdout, t); }

_Noreturn void shape_error(const char *op, Shape a, Shape b, const char *why) {
    char sa[64], sb[64];
    fprintf(stderr, "%s: shapes %s and %s: %s\n", op, shape_string(a, sa, sizeof sa),
            shape_string(b, sb, sizeof sb), why);
    abort();
}

void check_same_shape(const char *op, const Tensor *a, const Tensor *b) {
    if (!shape_equal(a->shape, b->shape)) shape_error(op, a->shape, b->shape, "must be equal");
}
