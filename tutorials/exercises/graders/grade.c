#define _POSIX_C_SOURCE 200809L  // fork, pipe, alarm, strsignal

#include "tutorials/exercises/graders/grade.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int checks, failures;
// Inside grade_run's child: where each check's outcome goes, one byte ('o' or 'F').
static int outcome_fd = -1;

static bool count(bool ok) {
    checks++;
    if (!ok) failures++;
    if (outcome_fd >= 0) {
        char c = ok ? 'o' : 'F';
        if (write(outcome_fd, &c, 1) != 1) _exit(3);
    }
    return ok;
}

void grade_begin(const char *title) {
    setvbuf(stdout, NULL, _IOLBF, 0);  // every line at once, also into a pipe, also before a crash
    printf("grading: %s\n", title);
    checks = failures = 0;
}

bool grade_true(bool ok, const char *what) {
    printf("  %-5s %s\n", ok ? "ok" : "FAIL", what);
    return count(ok);
}

void grade_hint(const char *hint) { printf("        hint: %s\n", hint); }

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
    if (ok)
        printf("  %-5s %s\n", "ok", what);
    else
        printf("  %-5s %s: element %ld is %.7g, expected %.7g (off by %.3g, tolerance %.3g)\n", "FAIL", what, worst,
               (double)yours[worst], (double)expected[worst], worst_error, (double)tolerance);
    return count(ok);
}

bool grade_gradients(const char *what, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs) {
    GradcheckResult r = gradcheck(f, context, inputs, n_inputs, NULL);
    for (int k = 0; k < r.n_inputs; k++) {
        const GradcheckInputReport *in = &r.inputs[k];
        if (in->passed)
            printf("  %-5s %s: d/d%s matches its finite differences\n", "ok", what, in->name);
        else
            printf("  %-5s %s: d/d%s[%ld] is %.6g, the finite difference says %.6g (off by %.3g)\n", "FAIL", what,
                   in->name, in->worst_index, in->analytic, in->numeric, fabs(in->analytic - in->numeric));
        count(in->passed);
    }
    return r.passed;
}

// The child: run the checks, report each outcome through the pipe, and leave without
// running anything registered with atexit.
static void run_child(int fd, GradeChecks *run, void *context) {
    outcome_fd = fd;
    alarm(GRADE_TIME_LIMIT);
    run(context);
    fflush(stdout);
    _exit(0);  // the outcomes went through the pipe: any other status means it never got here
}

static void report_crash(const char *what, const char *if_it_crashes, int status) {
    char why[96];
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        snprintf(why, sizeof why, "did not finish within %d s (an endless loop?)", GRADE_TIME_LIMIT);
    else if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "crashed (%s, signal %d)", strsignal(WTERMSIG(status)), WTERMSIG(status));
    else
        snprintf(why, sizeof why, "stopped the program (exit status %d)", WEXITSTATUS(status));
    printf("  %-5s %s: your code %s\n", "FAIL", what, why);
    count(false);
    grade_hint(if_it_crashes);
}

bool grade_run(const char *what, const char *if_it_crashes, GradeChecks *run, void *context) {
    int fds[2];
    fflush(stdout);
    if (pipe(fds) != 0) {
        perror("grade_run: pipe");
        exit(2);
    }
    pid_t child = fork();
    if (child < 0) {
        perror("grade_run: fork");
        exit(2);
    }
    if (child == 0) {
        close(fds[0]);
        run_child(fds[1], run, context);
    }
    close(fds[1]);
    int before = failures;
    char c;
    while (read(fds[0], &c, 1) == 1) count(c == 'o');
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) report_crash(what, if_it_crashes, status);
    return failures == before;
}

int grade_end(void) {
    if (failures == 0) {
        printf("PASS: all %d checks\n", checks);
        return 0;
    }
    printf("FAIL: %d of %d checks\n", failures, checks);
    return 1;
}
