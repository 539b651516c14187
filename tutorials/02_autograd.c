// Tutorial 02: reverse-mode autograd by hand. A three-node graph, its tape and its
// backward pass; an op of our own; the gradient checker. Read tutorials/02_autograd.md
// alongside; run with build/tutorials/02_autograd.
//
// The page's "Try this" prompts are variants of this program, each built with one
// switch by `make try T=02 V=<name>` (`make tutorials` runs them all):
// Try: gelu -DTRY_GELU
#include <math.h>
#include <string.h>

#include "autograd/gradcheck.h"
#include "autograd/ops.h"
#include "autograd/tape.h"
#include "tutorials/tutorial.h"

static Tensor *leaf(const char *name, const float *values) {
    Tensor *t = tensor_from_array(step_arena(), name, shape1(3), values);
    requires_grad(t);  // a leaf we want dL/d(leaf) for: it gets a zeroed gradient
    return t;
}

static bool equal3(const float *a, const float *b) {
    for (int i = 0; i < 3; i++)
        if (fabsf(a[i] - b[i]) > 1e-6f) return false;
    return true;
}

// L = sum(relu(x ⊙ w)): three ops, three nodes on the tape.
static Tensor *three_nodes(Tensor *x, Tensor *w) {
#ifdef TRY_GELU
    return sum(gelu(mul(x, w)));  // Try this: GELU instead of ReLU
#else
    return sum(relu(mul(x, w)));
#endif
}

// The activation and its slope dL/dy, by hand. GELU, with u = √(2/π)·(y + 0.044715·y³):
//   GELU(y) = 0.5·y·(1 + tanh u),  GELU'(y) = 0.5·(1 + tanh u) + 0.5·y·(1 − tanh² u)·du/dy
#define ROOT_2_OVER_PI 0.7978845608028654  // √(2/π)

static double activation_by_hand(double y) {
#ifdef TRY_GELU
    return 0.5 * y * (1 + tanh(ROOT_2_OVER_PI * (y + 0.044715 * y * y * y)));
#else
    return y > 0 ? y : 0;
#endif
}

static double slope_by_hand(double y) {
#ifdef TRY_GELU
    double t = tanh(ROOT_2_OVER_PI * (y + 0.044715 * y * y * y));
    return 0.5 * (1 + t) + 0.5 * y * (1 - t * t) * ROOT_2_OVER_PI * (1 + 3 * 0.044715 * y * y);
#else
    return y > 0 ? 1 : 0;  // ReLU passes the gradient where y > 0
#endif
}

// Walks the tape from the last node to the first, the way backward() does, and runs
// each node's backward function. The gradient buffers of the intermediate tensors are
// given out on first use, as the engine does.
static void backward_by_hand(Tensor *loss) {
    requires_grad(loss);
    loss->grad[0] = 1.0f;  // dL/dL
    for (Node *node = the_tape.last; node != NULL; node = node->prev) {
        printf("  node %d (%s): reads d%s, adds into", node->index, node->op->name, node->out->name);
        for (int i = 0; i < node->n_inputs; i++) {
            if (node->inputs[i]->grad == NULL) requires_grad(node->inputs[i]);
            printf(" d%s", node->inputs[i]->name);
        }
        printf("\n");
        node->op->backward(node);
    }
}

static void graph_and_tape(void) {
    section("1. A graph of three nodes, and its tape");
    float xv[] = {1, -2, 3}, wv[] = {0.5f, 1, 2};
    Tensor *x = leaf("x", xv), *w = leaf("w", wv);
    Tensor *loss = three_nodes(x, w);
    graph_print();
    // By hand: y = x ⊙ w = (0.5, −2, 6); dL/dy_i is the activation's slope at y_i,
    // and then dL/dx = w ⊙ dL/dy, dL/dw = x ⊙ dL/dy.
    float dx[3], dw[3];
    double by_hand = 0;
    for (int i = 0; i < 3; i++) {
        double y = (double)xv[i] * wv[i];
        by_hand += activation_by_hand(y);
        dx[i] = (float)(wv[i] * slope_by_hand(y)), dw[i] = (float)(xv[i] * slope_by_hand(y));
    }
#ifdef TRY_GELU
    printf("  L = sum(gelu([0.5, -2, 6])) = %g; by hand %g\n", loss->data[0], by_hand);
    printf("  by hand, GELU'(y) at 0.5, -2, 6: %.6f %.6f %.6f\n", slope_by_hand(0.5), slope_by_hand(-2), slope_by_hand(6));
    claim(fabs(loss->data[0] - by_hand) < 1e-5, "the forward pass gives L = Σ GELU(y_i), as by hand");
#else
    printf("  L = sum(relu([0.5, -2, 6])) = 0.5 + 0 + 6 = %g\n", loss->data[0]);
    claim(loss->data[0] == 6.5f && by_hand == 6.5, "the forward pass gives L = 6.5");
#endif
    claim(the_tape.n_nodes == 3, "the tape holds one node per op");

    section("2. Backward, by hand");
    backward_by_hand(loss);
    print_matrix("dL/dx:", x->grad, 1, 3);
    print_matrix("dL/dw:", w->grad, 1, 3);
#ifdef TRY_GELU
    claim(equal3(x->grad, dx) && equal3(w->grad, dw), "dL/dx = w ⊙ GELU'(y) and dL/dw = x ⊙ GELU'(y), as by hand");
    claim(x->grad[1] < 0.0f, "unlike ReLU, GELU passes a (small, negative) gradient at y = −2");
#else
    claim(equal3(x->grad, dx), "dL/dx = w ⊙ [y > 0] = (0.5, 0, 2)");
    claim(equal3(w->grad, dw), "dL/dw = x ⊙ [y > 0] = (1, 0, 3)");
#endif

    section("3. The same with backward()");
    memset(x->grad, 0, sizeof(float) * 3);  // leaves accumulate: clear them first
    memset(w->grad, 0, sizeof(float) * 3);
    backward(loss);
    claim(equal3(x->grad, dx) && equal3(w->grad, dw), "backward(L) gives the same gradients");
    backward(loss);
    claim(x->grad[2] == 2 * dx[2], "a second backward() adds to the leaves' gradients: dL/dx[2] doubles");
    tape_reset();
}

// An op of our own: y = x². Its backward multiplies by the derivative 2x, or, in the
// broken version, forgets the 2.
static bool forget_the_two;

// forward: out[i] = x[i]², so dx[i] += dout[i]·2·x[i]
static void square_node_backward(Node *node) {
    const float *x = node->inputs[0]->data, *dy = node->out->grad;
    float *dx = node->inputs[0]->grad;
    for (long i = 0; i < node->out->size; i++) dx[i] += dy[i] * (forget_the_two ? x[i] : 2.0f * x[i]);
}

// The op's description: its name, its backward, and whether −∞ is a legal output
// (it is not: left out, the field is false).
static const OpInfo SQUARE = {.name = "square", .backward = square_node_backward};

static Tensor *square(Tensor *x) {
    Tensor *out = op_output(&SQUARE, x->shape);
    for (long i = 0; i < x->size; i++) out->data[i] = x->data[i] * x->data[i];
    record(&SQUARE, out, x, NULL, NULL);
    return out;
}

static Tensor *f_square(Tensor **in, void *context) {
    (void)context;
    return square(in[0]);
}

static Tensor *f_tiny_network(Tensor **in, void *context) {
    (void)context;
    return mean(relu(add(matmul(in[0], in[1]), in[2])));
}

static void gradient_checks(void) {
    section("4. The gradient checker catches a wrong backward");
    Rng rng;
    rng_seed(&rng, 1);
    Tensor *x = tensor_normal(step_arena(), "x", shape2(2, 3), &rng, 0.0f, 1.0f);
    requires_grad(x);
    forget_the_two = true;
    GradcheckResult wrong = gradcheck(f_square, NULL, &x, 1, NULL);
    gradcheck_print("square with dx += dy·x (wrong)", &wrong);
    forget_the_two = false;
    GradcheckResult right = gradcheck(f_square, NULL, &x, 1, NULL);
    gradcheck_print("square with dx += dy·2x", &right);
    claim(!wrong.passed && right.passed, "the checker fails the wrong backward and passes the right one");

    section("5. A small network: mean(relu(x·w + b))");
    Tensor *in[] = {tensor_normal(step_arena(), "x", shape2(4, 3), &rng, 0.0f, 1.0f),
                    tensor_normal(step_arena(), "w", shape2(3, 5), &rng, 0.0f, 1.0f),
                    tensor_normal(step_arena(), "b", shape1(5), &rng, 0.0f, 1.0f)};
    for (int i = 0; i < 3; i++) requires_grad(in[i]);
    backward(f_tiny_network(in, NULL));
    graph_print();
    tensor_print(in[1]);
    GradcheckResult network = gradcheck(f_tiny_network, NULL, in, 3, NULL);
    gradcheck_print("mean(relu(x·w + b))", &network);
    claim(network.passed, "every gradient of the network matches its finite difference");
    tape_reset();
}

int main(void) {
    graph_and_tape();
    gradient_checks();
    tape_free();
    return tutorial_end();
}
