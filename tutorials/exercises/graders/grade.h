// What the graders share. Each check prints one line, "  ok    what" or
// "  FAIL  what: by how much", sometimes followed by a "hint:" line; grade_end prints
// PASS or FAIL as the last line and returns the exit status (0 only when every check
// passed). The count on that line is the number of check lines above it.
//
// Your code runs inside grade_run, in a child process of its own: if it crashes (a
// NULL pointer written to, an abort) or never returns, that group of checks gets a
// FAIL line saying so, with a hint, and the grader carries on with the next group.
#ifndef GPT1_GRADE_H
#define GPT1_GRADE_H

#include <stdbool.h>

#include "autograd/gradcheck.h"

void grade_begin(const char *title);
bool grade_true(bool ok, const char *what);
// yours[i] against expected[i] for i < n: reports the worst element and its error.
bool grade_close(const char *what, const float *yours, const float *expected, long n, float tolerance);
// Runs the gradient checker on f: one check per input, and on failure the element,
// your gradient and the finite difference.
bool grade_gradients(const char *what, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs);
// Prints "        hint: ..." under the check line above it (call it after a FAIL).
void grade_hint(const char *hint);

typedef void GradeChecks(void *context);
// Runs checks(context) in a child process. When the child crashes or runs longer than
// GRADE_TIME_LIMIT seconds, one more check fails: "what: your code crashed (...)",
// followed by if_it_crashes as the hint. Returns whether the group ran to its end and
// every check in it passed.
enum { GRADE_TIME_LIMIT = 30 };
bool grade_run(const char *what, const char *if_it_crashes, GradeChecks *checks, void *context);
int grade_end(void);

#endif
