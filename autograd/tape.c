#include "autograd/tape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


// The arena may grow to this many bytes before an allocation is refused with a
// message naming the bytes needed and available.
static const size_t STEP_ARENA_LIMIT = (size_t)16 << 30;

Tape the_tape = {.grad_enabled = true};

Arena *step_arena(void) {
    if (the_tape.arena.name == NULL) arena_init(&the_tape.arena, "step", STEP_ARENA_LIMIT);
    return &the_tape.arena;
}

Tensor *op_output(const OpInfo *op, Shape shape) {
    char name[2 * TENSOR_NAME_LEN];  // tensor_empty keeps the first TENSOR_NAME_LEN - 1 characters
    if (the_tape.scope_depth > 0)
        snprintf(name, sizeof name, "%s.%s", the_tape.scope, op->name);
    else
        snprintf(name, sizeof name, "%s", op->name);
    return tensor_empty(step_arena(), name, shape);
}

void *saved_alloc(size_t bytes) { return arena_alloc(step_arena(), bytes); }

void report_non_finite(const Node *node, const Tensor *t, long index, bool in_gradient) {
    if (in_gradient)
        fprintf(stderr, "check-finite: the backward of op %s gave a non-finite gradient (%g) to '%s' at index %ld\n",
                node->op->name, t->grad[index], t->name, index);
    else
        fprintf(stderr, "check-finite: op %s produced a non-finite value (%g) in '%s' at index %ld%s\n",
                node ? node->op->name : t->name, t->data[index], t->name, index, node ? "" : " (not recorded)");
    exit(EXIT_FAILURE);
}

static void check_output_finite(const OpInfo *op, const Node *node, const Tensor *out) {
    for (long i = 0; i < out->size; i++) {
        float v = out->data[i];
        if (isnan(v) || (isinf(v) && !(op->allows_minus_infinity && v < 0))) report_non_finite(node, out, i, false);
    }
}

// Gradients accumulate, so the first non-finite one appears in the backward that made it.
static void check_input_gradients_finite(const Node *node) {
    for (int i = 0; i < node->n_inputs; i++) {
        const Tensor *input = node->inputs[i];
        if (input == NULL || input->grad == NULL) continue;
        long bad = first_non_finite(input->grad, input->size);
        if (bad >= 0) report_non_finite(node, input, bad, true);
    }
}

Node *record(const OpInfo *op, Tensor *out, Tensor *a, Tensor *b, Tensor *c) {
    Tensor *inputs[NODE_MAX_INPUTS] = {a, b, c};
    bool needs_grad = false;
    for (int i = 0; i < NODE_MAX_INPUTS; i++) needs_grad |= inputs[i] != NULL && inputs[i]->requires_grad;
    Node *node = NULL;
    if (the_tape.grad_enabled && needs_grad) {
        node = arena_calloc(step_arena(), sizeof *node);
        node->index = the_tape.n_nodes++;
        node->op = op;
        node->out = out;
        for (int i = 0; i < NODE_MAX_INPUTS; i++) {
            node->inputs[i] = inputs[i];
            if (inputs[i] != NULL) node->n_inputs = i + 1;
        }
        node->prev = the_tape.last;
        the_tape.last = node;
        out->requires_grad = true;
    }
    if (the_tape.check_finite) check_output_finite(op, node, out);
    return node;
}

void requires_grad(Tensor *t) {
    t->requires_grad = true;
    if (t->grad == NULL) t->grad = arena_calloc(step_arena(), sizeof(float) * (size_t)t->size);
}

// A zeroed gradient for t: a released one of the same size when there is one.
static void ensure_grad(Tensor *t) {
    if (t == NULL || !t->requires_grad || t->grad != NULL) return;
    Tape *tape = &the_tape;
    for (int i = tape->n_spare_grads - 1; i >= 0; i--) {
        if (tape->spare_sizes[i] != t->size) continue;
        t->grad = tape->spare_grads[i];
        tape->n_spare_grads--;
        tape->spare_grads[i] = tape->spare_grads[tape->n_spare_grads];
        tape->spare_sizes[i] = tape->spare_sizes[tape->n_spare_grads];
        arena_zero(t->grad, sizeof(float) * (size_t)t->size);
        return;
    }
    t->grad = arena_calloc(step_arena(), sizeof(float) * (size_t)t->size);
}

// Once its node has run, nothing reads an intermediate's gradient again (the tape is
// in creation order, so every op that used the tensor has already run backwards).
static void release_grad(Tensor *t) {
    Tape *tape = &the_tape;
    if (tape->keep_grads || tape->n_spare_grads == TAPE_SPARE_GRADS) return;
    tape->spare_grads[tape->n_spare_grads] = t->grad;
    tape->spare_sizes[tape->n_spare_grads++] = t->size;
    t->grad = NULL;
}

// Runs the tape backwards. A node whose output received no gradient (it does not
// influence the seed) is skipped; the others give their inputs a gradient buffer
// on first use and accumulate into it.
static void run_backward(void) {
    for (Node *node = the_tape.last; node != NULL; node = node->prev) {
        if (node->out->grad == NULL) continue;
        for (int i = 0; i < node->n_inputs; i++) ensure_grad(node->inputs[i]);
        node->op->backward(node);
        if (the_tape.check_finite) check_input_gradients_finite(node);
        release_grad(node->out);
    }
}

void backward_from(Tensor *out, const float *seed) {
    if (!out->requires_grad) {
        fprintf(stderr, "backward: '%s' does not depend on anything that requires a gradient\n", out->name);
        abort();
    }
    // Intermediate gradients start from nothing at every backward, so that nodes of
    // an earlier graph on the tape (or an earlier backward) contribute nothing;
    // leaves (parameters, inputs) keep accumulating.
    for (Node *node = the_tape.last; node != NULL; node = node->prev) node->out->grad = NULL;
    ensure_grad(out);
    for (long i = 0; i < out->size; i++) out->grad[i] += seed[i];
    run_backward();
}

void backward(Tensor *loss) {
    if (loss->size != 1) {
        char buf[64];
        fprintf(stderr, "backward: the loss '%s' must hold one value, not %s\n", loss->name,
                shape_string(loss->shape, buf, sizeof buf));
        abort();
    }
    float one = 1.0f;
    backward_from(loss, &one);
}

void tape_reset(void) {
    arena_reset(step_arena());
    the_tape.n_spare_grads = 0;
    the_tape.last = NULL;
    the_tape.n_nodes = 0;
}

TapeMark tape_mark(void) {
    return (TapeMark){.arena = arena_mark(step_arena()), .last = the_tape.last, .n_nodes = the_tape.n_nodes};
}

void tape_rewind(TapeMark mark) {
    arena_rewind(step_arena(), mark.arena);
    the_tape.n_spare_grads = 0;
    the_tape.last = mark.last;
    the_tape.n_nodes = mark.n_nodes;
}

bool set_grad_enabled(bool enabled) {
    bool previous = the_tape.grad_enabled;
    the_tape.grad_enabled = enabled;
    return previous;
}

bool set_keep_grads(bool enabled) {
    bool previous = the_tape.keep_grads;
    the_tape.keep_grads = enabled;
    return previous;
}

bool set_check_finite(bool enabled) {
    bool previous = the_tape.check_finite;
    the_tape.check_finite = enabled;
    return previous;
}

void scope_push(const char *name) {
    Tape *t = &the_tape;
    if (t->scope_depth == (int)(sizeof t->scope_lengths / sizeof t->scope_lengths[0])) {
        fprintf(stderr, "scope_push('%s'): scopes nested too deeply\n", name);
        abort();
    }
    size_t len = strlen(t->scope);
    t->scope_lengths[t->scope_depth++] = (int)len;
    snprintf(t->scope + len, sizeof t->scope - len, "%s%s", len ? "." : "", name);
}

void scope_pop(void) {
    if (the_tape.scope_depth == 0) return;
    the_tape.scope[the_tape.scope_lengths[--the_tape.scope_depth]] = '\0';
}

void tape_free(void) {
    tape_reset();
    arena_free(step_arena());
}

// The nodes, last first, as they are linked (free the array); NULL when out of memory.
static Node **collect_nodes(FILE *file, int *n) {
    Node **nodes = malloc(sizeof *nodes * (size_t)(the_tape.n_nodes > 0 ? the_tape.n_nodes : 1));
    if (nodes == NULL) {
        fprintf(file, "graph: out of memory for %d nodes\n", the_tape.n_nodes);
        return NULL;
    }
    *n = 0;
    for (Node *node = the_tape.last; node != NULL && *n < the_tape.n_nodes; node = node->prev) nodes[(*n)++] = node;
    return nodes;
}

static Node *input_node(const Tensor *t, Node **nodes, int n) {
    for (int i = 0; i < n; i++)
        if (nodes[i]->out == t) return nodes[i];
    return NULL;
}

void graph_print(void) { graph_fprint(stdout); }

void graph_fprint(FILE *file) {
    int n;
    Node **nodes = collect_nodes(file, &n);
    if (nodes == NULL) return;
    fprintf(file, "graph: %d nodes\n", n);
    for (int i = n - 1; i >= 0; i--) {
        Node *node = nodes[i];
        char buf[64];
        fprintf(file, "%4d  %-36s %-18s %-16s <-", node->index, node->out->name, node->op->name,
                shape_string(node->out->shape, buf, sizeof buf));
        for (int k = 0; k < node->n_inputs; k++) {
            const Tensor *in = node->inputs[k];
            if (in == NULL) continue;
            Node *from = input_node(in, nodes, n);
            if (from != NULL)
                fprintf(file, " %d", from->index);
            else
                fprintf(file, " %s", in->name);
        }
        fprintf(file, "\n");
    }
    fflush(file);
    free(nodes);
}

void graph_write_dot(FILE *file) {
    int n;
    Node **nodes = collect_nodes(file, &n);
    if (nodes == NULL) return;
    fprintf(file, "digraph autograd {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (int i = n - 1; i >= 0; i--) {
        Node *node = nodes[i];
        char buf[64];
        fprintf(file, "  n%d [label=\"%s\\n%s %s\"];\n", node->index, node->out->name, node->op->name,
                shape_string(node->out->shape, buf, sizeof buf));
        for (int k = 0; k < node->n_inputs; k++) {
            const Tensor *in = node->inputs[k];
            if (in == NULL) continue;
            Node *from = input_node(in, nodes, n);
            if (from != NULL) {
                fprintf(file, "  n%d -> n%d;\n", from->index, node->index);
            } else {
                fprintf(file, "  \"%s\" [shape=ellipse];\n  \"%s\" -> n%d;\n", in->name, in->name, node->index);
            }
        }
    }
    fprintf(file, "}\n");
    free(nodes);
}
