// getpid and the exit status macros are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "tests/helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "autograd/tape.h"

Tensor *random_input(const char *name, Shape shape, Rng *rng, float std) {
    Tensor *t = tensor_normal(step_arena(), name, shape, rng, 0.0f, std);
    requires_grad(t);
    return t;
}

void assert_gradcheck(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs) {
    assert_gradcheck_with(title, f, context, inputs, n_inputs, NULL);
}

void assert_gradcheck_with(const char *title, GradcheckFunction f, void *context, Tensor **inputs, int n_inputs,
                           const GradcheckOptions *options) {
    GradcheckResult result = gradcheck(f, context, inputs, n_inputs, options);
    if (!result.passed) gradcheck_print(title, &result);
    for (int k = 0; k < result.n_inputs; k++) {
        const GradcheckInputReport *r = &result.inputs[k];
        ck_assert_msg(r->passed, "%s: gradient of '%s' wrong at element %ld: analytic %.6g, numeric %.6g", title,
                      r->name, r->worst_index, r->analytic, r->numeric);
    }
}

void assert_close(const float *actual, const float *expected, long n, float tolerance, const char *what) {
    for (long i = 0; i < n; i++)
        ck_assert_msg(fabsf(actual[i] - expected[i]) <= tolerance, "%s[%ld]: got %.7g, expected %.7g", what, i,
                      (double)actual[i], (double)expected[i]);
}

void spread_parameters(ParameterTable *params, uint64_t seed, float std) {
    Rng rng;
    rng_seed(&rng, seed);
    for (int i = 0; i < params->count; i++) {
        Parameter *p = params->items[i];
        for (long j = 0; j < p->tensor.size; j++)
            p->tensor.data[j] = (p->init == INIT_ONES ? 1.0f : 0.0f) + rng_normal(&rng, 0.0f, std);
    }
}

char gpt_output[8192];

const char *temp_file(const char *name) {
    static char paths[32][256];
    static int next;
    char *path = paths[next++ % 32];
    snprintf(path, sizeof paths[0], "/tmp/gpt1c_%ld_%s", (long)getpid(), name);
    return path;
}

const char *write_temp_file(const char *name, const char *text) {
    const char *path = temp_file(name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

int run_gpt(const char *args) {
    char command[2048], log[64];
    // a per-process file: the tests of several builds may run at the same time
    snprintf(log, sizeof log, "/tmp/gpt1c_run_gpt_%ld.out", (long)getpid());
    snprintf(command, sizeof command, "%s %s >%s 2>&1", GPT_PROGRAM, args, log);
    int status = system(command);
    FILE *f = fopen(log, "r");
    size_t n = f ? fread(gpt_output, 1, sizeof gpt_output - 1, f) : 0;
    gpt_output[n] = '\0';
    if (f) fclose(f);
    remove(log);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void assert_usage_error(const char *args, const char *message) {
    int status = run_gpt(args);
    ck_assert_msg(status == 2, "gpt %s: exit status %d, expected 2; output: %s", args, status, gpt_output);
    ck_assert_msg(strstr(gpt_output, message) != NULL, "gpt %s: expected '%s' in: %s", args, message, gpt_output);
}
