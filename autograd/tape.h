// Reverse-mode automatic differentiation on a tape.
//
// Every differentiable op (ops.h) computes its output and records a Node: the op's
// description (its name and its backward function), the input tensors and the values
// it saved for later. Nodes are recorded in creation order, which is already a
// topological order, so backward(loss) simply runs the tape from the last node to the
// first.
// All tensors, nodes and gradients made during a step live in the tape's arena and
// are released together by tape_reset(): parameters (made elsewhere) survive it.
#ifndef GPT1_TAPE_H
#define GPT1_TAPE_H

#include <stdbool.h>
#include <stdio.h>

#include "tensor/arena.h"
#include "tensor/tensor.h"

typedef struct Node Node;
typedef void (*BackwardFn)(Node *node);

// What the tape knows about an op, written once per op as a static constant in its
// file (autograd/ops_*.c), e.g.
//     static const OpInfo MATMUL = {.name = "matmul", .backward = matmul_node_backward};
// and passed to op_output (which names the output after it) and record (whose node
// points at it: in gdb, `p *node->op` shows it).
typedef struct OpInfo {
    const char *name;            // "matmul": names the op's outputs, its nodes and its errors
    BackwardFn backward;         // <name>_node_backward: reads out->grad, adds into the inputs' grads
    bool allows_minus_infinity;  // −∞ is a legal output (the causal mask's): check-finite lets it pass
} OpInfo;

enum { NODE_MAX_INPUTS = 3 };

// What an op keeps from its forward pass for its backward pass. Each op uses only
// the fields named for it; the rest stay zero.
typedef struct Saved {
    float factor;        // scale: the constant multiplier
    float *mean, *rstd;  // layer_norm: each row's mean and 1/std
    float *probs;        // cross_entropy: the softmax of the logits
    float *mask;         // dropout: 0 or 1/(1-p) per element
    const int *ids;      // gather_rows: the row ids; cross_entropy: the target classes
    const float *values; // squared_error: the target values
    long counted;        // cross_entropy: how many targets were not ignored
    int start;           // columns: the first column taken
} Saved;

struct Node {
    int index;                         // position on the tape, from 0
    const OpInfo *op;                  // op->name "matmul", op->backward matmul_node_backward, ...
    Tensor *out;
    Tensor *inputs[NODE_MAX_INPUTS];   // NULL past n_inputs
    int n_inputs;
    Saved saved;
    Node *prev;                        // the node recorded before this one
};

// Room for the gradients the backward pass has finished with (see backward()).
enum { TAPE_SPARE_GRADS = 64 };

typedef struct Tape {
    Arena arena;        // every tensor, node and gradient of the current step
    Node *last;         // the most recent node; follow ->prev to reach the first
    int n_nodes;
    bool grad_enabled;  // false: ops record nothing (inference, finite differences)
    bool check_finite;  // true: stop at the first op whose output or gradient is NaN or infinite
    bool keep_grads;    // true: backward keeps every intermediate gradient (to look at them after)
    float *spare_grads[TAPE_SPARE_GRADS];  // released intermediate gradients, reused by size
    long spare_sizes[TAPE_SPARE_GRADS];    // floats in each
    int n_spare_grads;
    char scope[TENSOR_NAME_LEN];  // prefix of the names ops give their outputs
    int scope_lengths[8];
    int scope_depth;
} Tape;

// The one tape of the program. It is ready to use without any set-up call.
extern Tape the_tape;

// --- Used by ops ---------------------------------------------------------------
Arena *step_arena(void);
Tensor *op_output(const OpInfo *op, Shape shape);  // a new, uninitialised tensor named "<scope>.<op name>"
// Records a node for `out` when gradients are on and some input requires one;
// returns it (NULL otherwise) so that the op can fill node->saved.
Node *record(const OpInfo *op, Tensor *out, Tensor *a, Tensor *b, Tensor *c);
void *saved_alloc(size_t bytes);                 // storage for Saved values, from the arena

// --- Used by models and training loops -----------------------------------------
void requires_grad(Tensor *t);       // marks a leaf of the step arena and gives it a zeroed grad
// loss must hold one value; seeds dloss = 1. The gradient of an intermediate tensor
// is needed only until the node that made it has run: then the backward pass releases
// it (t->grad becomes NULL) and gives its memory to the next gradient of the same size,
// so that a step holds about one block's intermediate gradients at a time instead of
// all of them. Leaves (parameters, inputs marked with requires_grad) keep theirs.
void backward(Tensor *loss);
void backward_from(Tensor *out, const float *seed);  // seeds out->grad with a copy of seed
void tape_reset(void);               // forget the graph, release the arena
bool set_grad_enabled(bool enabled); // returns the previous setting
bool set_check_finite(bool enabled); // returns the previous setting
bool set_keep_grads(bool enabled);   // keep intermediate gradients after backward; returns the previous setting
void scope_push(const char *name);   // "blocks.3" then "attn": outputs named blocks.3.attn.softmax
void scope_pop(void);
void tape_free(void);                // give the arena's memory back (end of program)

typedef struct TapeMark {
    ArenaMark arena;
    Node *last;
    int n_nodes;
} TapeMark;
TapeMark tape_mark(void);            // forget everything recorded after this point with tape_rewind
void tape_rewind(TapeMark mark);

// --- Debugging (callable from gdb) ----------------------------------------------
void graph_print(void);                        // one line per node: index, name, op, shape, inputs
void graph_fprint(FILE *file);
void graph_write_dot(FILE *file);              // the graph in Graphviz DOT
void report_non_finite(const Node *node, const Tensor *t, long index, bool in_gradient);  // break here in gdb

#endif
