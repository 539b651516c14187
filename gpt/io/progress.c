// isatty and fileno are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/io/progress.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "gpt/io/clock.h"
#include "tensor/parallel.h"

Progress progress_start(long first_step, long total_steps) {
    return (Progress){.start = seconds_now(), .first_step = first_step, .total_steps = total_steps,
                      .tty = isatty(fileno(stderr)) != 0};
}

double progress_seconds_per_step(const Progress *p, long step) {
    long done = step - p->first_step;
    return done > 0 ? (seconds_now() - p->start) / (double)done : 0.0;
}

void progress_print(Progress *p, long step, const char *text, bool keep_line) {
    double now = seconds_now();
    if (!keep_line && now - p->last_print < (p->tty ? 0.25 : 10.0)) return;
    p->last_print = now;
    double eta = progress_seconds_per_step(p, step) * (double)(p->total_steps - step);
    long elapsed_s = (long)(now - p->start), eta_s = (long)fmin(eta, 1e12);  // --steps may be huge
    // a line rewritten in place ends with spaces, to cover a longer line before it
    int threads = parallel_threads();
    fprintf(stderr, "%s%s | %d thread%s | %ld:%02ld elapsed, ETA %ld:%02ld%s", p->tty ? "\r" : "", text, threads,
            threads == 1 ? "" : "s", elapsed_s / 60, elapsed_s % 60, eta_s / 60, eta_s % 60,
            p->tty && !keep_line ? "  " : "\n");
    fflush(stderr);
}
