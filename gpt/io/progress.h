// The progress line of a training run on stderr, shared by pre-training and fine-tuning:
// what the run reports, then the kernels' threads, the time taken and the time left,
//
//   step 120/5000 | loss 2.3416 | val - | 41.3k tok/s | 2 threads | 0:12 elapsed, ETA 8:14
//   epoch 2/3 step 40/60 | L2 0.6012 | L1 2.9141 | L3 2.0583 | dev acc 0.7500 | 2 threads | 0:03 elapsed, ETA 0:01
//
// On a terminal the line is rewritten in place (\r) at most four times a second; when
// stderr is a file, a line is written every 10 seconds. A kept line (a validation loss,
// the end of an epoch) is always printed, on a line of its own.
#ifndef GPT1_PROGRESS_H
#define GPT1_PROGRESS_H

#include <stdbool.h>

typedef struct Progress {
    double start;       // seconds_now() when the run began
    double last_print;
    long first_step;    // the step the run began at (after a resume): the rate counts this run's steps only
    long total_steps;
    bool tty;           // stderr is a terminal
} Progress;

Progress progress_start(long first_step, long total_steps);
// Seconds per step so far (0 before the first step): the ETA's rate, and tokens per second.
double progress_seconds_per_step(const Progress *p, long step);
// Prints text (everything before the times), then " | N threads | m:ss elapsed, ETA m:ss", when
// due or when keep_line asks for a line of its own.
void progress_print(Progress *p, long step, const char *text, bool keep_line);

#endif
