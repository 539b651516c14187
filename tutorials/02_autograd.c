// Tutorial 02: reverse-mode autograd by hand, then the gradient checker.
// (Placeholder until the tutorial path is written: fits a line and checks gradients.)
#include <stdio.h>

#include "autograd/gradcheck.h"
#include "autograd/ops.h"
#include "autograd/tape.h"

static Tensor *tiny_network(Tensor **in, void *context) {
    (void)context;
    return mean(relu(add(matmul(in[0], in[1]), in[2])));
}

int main(void) {
    Rng rng;
    rng_seed(&rng, 1);
    Tensor *x = tensor_normal(step_arena(), "x", shape2(4, 3), &rng, 0.0f, 1.0f);
    Tensor *w = tensor_normal(step_arena(), "w", shape2(3, 5), &rng, 0.0f, 1.0f);
    Tensor *b = tensor_normal(step_arena(), "b", shape1(5), &rng, 0.0f, 1.0f);
    requires_grad(x), requires_grad(w), requires_grad(b);
    Tensor *inputs[] = {x, w, b};
    Tensor *loss = tiny_network(inputs, NULL);
    graph_print();
    backward(loss);
    tensor_print(w);
    GradcheckResult result = gradcheck(tiny_network, NULL, inputs, 3, NULL);
    gradcheck_print("mean(relu(x·w + b))", &result);
    tape_free();
    return result.passed ? 0 : 1;
}
