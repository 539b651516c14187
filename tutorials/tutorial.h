// What every tutorial program shares: claims that are checked as they are printed,
// and a small matrix printer. A tutorial says what should happen, shows it happening,
// and exits non-zero when a claim no longer holds, so `make tutorials` notices when
// the code and the prose drift apart.
#ifndef GPT1_TUTORIAL_H
#define GPT1_TUTORIAL_H

#include <stdbool.h>
#include <stdio.h>

static inline int *claims_failed(void) {
    static int failed;
    return &failed;
}

// Prints "  ok  what" or "  NOT TRUE  what".
static inline bool claim(bool holds, const char *what) {
    printf("  %s  %s\n", holds ? "ok" : "NOT TRUE", what);
    if (!holds) ++*claims_failed();
    return holds;
}

// The exit status of a tutorial: 0 when every claim held.
static inline int tutorial_end(void) {
    int failed = *claims_failed();
    if (failed > 0) printf("\n%d claim(s) did not hold\n", failed);
    return failed == 0 ? 0 : 1;
}

static inline void section(const char *title) { printf("\n== %s\n\n", title); }

// A [rows, cols] row-major matrix, one row per line.
static inline void print_matrix(const char *title, const float *data, int rows, int cols) {
    printf("%s\n", title);
    for (int i = 0; i < rows; i++) {
        printf("  ");
        for (int j = 0; j < cols; j++) printf(" %8.4f", data[(long)i * cols + j]);
        printf("\n");
    }
}

#endif
