// Wall-clock time for progress lines and benchmarks.
#ifndef GPT1_CLOCK_H
#define GPT1_CLOCK_H

double seconds_now(void);  // a monotonic clock, in seconds from an arbitrary start

#endif
