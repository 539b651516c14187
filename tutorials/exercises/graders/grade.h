// What the graders share. Each check prints one line, "  ok    what" or
// "  FAIL  what: by how much"; grade_end prints PASS or FAIL as the last line and
// returns the exit status (0 only when every check passed).
#ifndef GPT1_GRADE_H
#define GPT1_GRADE_H

#include <stdbool.h>

#include "autograd/gradcheck.h"

void grade_begin(const char *title);
bool grade_true(bool ok, const char *what);
// yours[i] against expected[i] for i < n: reports the worst element and its error.
bool grade_close(const char *what, const float *yours, const float *expected, long n, float tolerance);
// Runs the gradient checker on f; on failure reports the input, the element, your
// gradient and the finite difference.
bool grade_gradients(const char *what, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs);
int grade_end(void);

#endif
