#include "nn/parameters.h"

#include <stdlib.h>
#include <string.h>

static void *checked_realloc(void *p, size_t bytes) {
    p = realloc(p, bytes);
    if (p == NULL) {
        fprintf(stderr, "parameters: out of memory for %zu bytes\n", bytes);
        abort();
    }
    return p;
}

Tensor *parameter_add(ParameterTable *table, const char *name, Shape shape, ParameterInit init) {
    if (table->data != NULL) {
        fprintf(stderr, "parameter_add('%s'): the table is already allocated\n", name);
        abort();
    }
    if (strlen(name) >= TENSOR_NAME_LEN) {  // a shortened name would no longer be found by parameter_find
        fprintf(stderr, "parameter_add: the name '%s' is longer than %d characters\n", name, TENSOR_NAME_LEN - 1);
        abort();
    }
    if (parameter_find(table, name) != NULL) {
        fprintf(stderr, "parameter_add: two parameters named '%s'\n", name);
        abort();
    }
    if (table->count == table->capacity) {
        table->capacity = table->capacity ? 2 * table->capacity : 64;
        table->items = checked_realloc(table->items, sizeof *table->items * (size_t)table->capacity);
    }
    Parameter *p = checked_realloc(NULL, sizeof *p);
    tensor_wrap(&p->tensor, name, shape, NULL, NULL);
    p->tensor.requires_grad = true;
    p->init = init;
    p->offset = table->total;
    table->total += p->tensor.size;
    table->items[table->count++] = p;
    return &p->tensor;
}

void parameters_allocate(ParameterTable *table) {
    size_t bytes = sizeof(float) * (size_t)table->total;
    table->data = checked_realloc(NULL, bytes ? bytes : 1);
    table->grad = checked_realloc(NULL, bytes ? bytes : 1);
    memset(table->data, 0, bytes);
    memset(table->grad, 0, bytes);
    for (int i = 0; i < table->count; i++) {
        Parameter *p = table->items[i];
        p->tensor.data = table->data + p->offset;
        p->tensor.grad = table->grad + p->offset;
    }
}

void parameters_init(ParameterTable *table, Rng *rng) {
    for (int i = 0; i < table->count; i++) {
        Tensor *t = &table->items[i]->tensor;
        for (long j = 0; j < t->size; j++) {
            switch (table->items[i]->init) {
            case INIT_NORMAL: t->data[j] = rng_normal(rng, 0.0f, PARAMETER_INIT_STD); break;
            case INIT_ZEROS: t->data[j] = 0.0f; break;
            case INIT_ONES: t->data[j] = 1.0f; break;
            }
        }
    }
}

void parameters_zero_grad(ParameterTable *table) { memset(table->grad, 0, sizeof(float) * (size_t)table->total); }

Tensor *parameter_find(const ParameterTable *table, const char *name) {
    for (int i = 0; i < table->count; i++)
        if (strcmp(table->items[i]->tensor.name, name) == 0) return &table->items[i]->tensor;
    return NULL;
}

void parameters_print(FILE *file, const ParameterTable *table) {
    char buf[64];
    fprintf(file, "%-36s %-16s %12s\n", "parameter", "shape", "count");
    for (int i = 0; i < table->count; i++) {
        const Tensor *t = &table->items[i]->tensor;
        fprintf(file, "%-36s %-16s %12ld\n", t->name, shape_string(t->shape, buf, sizeof buf), t->size);
    }
    fprintf(file, "%-36s %-16s %12ld\n", "total", "", table->total);
}

void parameters_free(ParameterTable *table) {
    for (int i = 0; i < table->count; i++) free(table->items[i]);
    free(table->items);
    free(table->data);
    free(table->grad);
    free(table->moment1);
    free(table->moment2);
    memset(table, 0, sizeof *table);
}
