#include "tutorials/exercises/graders/grade.h"

#include <math.h>
#include <stdio.h>

static int checks, failures;

void grade_begin(const char *title) {
    printf("grading: %s\n", title);
    checks = failures = 0;
}

bool grade_true(bool ok, const char *what) {
    checks++;
    if (!ok) failures++;
    printf("  %-5s %s\n", ok ? "ok" : "FAIL", what);
    return ok;
}

bool grade_close(const char *what, const float *yours, const float *expected, long n, float tolerance) {
    long worst = -1;
    double worst_error = 0;
    for (long i = 0; i < n; i++) {
        double error = fabs((double)yours[i] - (double)expected[i]);
        bool same_infinity = isinf(yours[i]) && yours[i] == expected[i];
        if (same_infinity) continue;
        if (isnan(error)) error = INFINITY;  // NaN, or an infinity where a number belongs
        if (worst < 0 || error > worst_error) worst = i, worst_error = error;
    }
    bool ok = worst < 0 || worst_error <= tolerance;
    checks++;
    if (ok) {
        printf("  %-5s %s\n", "ok", what);
    } else {
        failures++;
        printf("  %-5s %s: element %ld is %.7g, expected %.7g (off by %.3g, tolerance %.3g)\n", "FAIL", what, worst,
               (double)yours[worst], (double)expected[worst], worst_error, (double)tolerance);
    }
    return ok;
}

bool grade_gradients(const char *what, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs) {
    GradcheckResult r = gradcheck(f, context, inputs, n_inputs, NULL);
    checks++;
    if (r.passed) {
        printf("  %-5s %s: every gradient matches its finite difference\n", "ok", what);
        return true;
    }
    failures++;
    for (int k = 0; k < r.n_inputs; k++) {
        const GradcheckInputReport *in = &r.inputs[k];
        if (in->passed) continue;
        printf("  %-5s %s: d/d%s[%ld] is %.6g, the finite difference says %.6g (off by %.3g)\n", "FAIL", what,
               in->name, in->worst_index, in->analytic, in->numeric, fabs(in->analytic - in->numeric));
    }
    return false;
}

int grade_end(void) {
    if (failures == 0) {
        printf("PASS: all %d checks\n", checks);
        return 0;
    }
    printf("FAIL: %d of %d checks\n", failures, checks);
    return 1;
}
