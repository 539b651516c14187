// Both cores (or all of them): a tiny pool of POSIX threads for the kernels, with one
// primitive, parallel_for. The threads are started once, on the first job that needs
// them, and sleep between jobs; no kernel ever creates a thread.
//
// Determinism: parallel_for gives every item to exactly one thread, and the kernels
// split their work so that each output element is computed by one thread, in the same
// order as with one thread. A run gives the same numbers, bit for bit, whatever the
// number of threads. A sum over rows (a bias or weight gradient) is never split across
// threads: it is split over its columns instead, each column summed in row order.
//
// With one thread (parallel_set_threads(1), `gpt --threads 1`) parallel_for calls the
// work directly on the calling thread: no pool, nothing to step over in a debugger.
#ifndef GPT1_PARALLEL_H
#define GPT1_PARALLEL_H

#include <stddef.h>

// The most threads the pool will run; more cores than this are left alone.
enum { PARALLEL_MAX_THREADS = 32 };

// Less work than this (in floating-point operations, roughly) runs on the calling
// thread: waking the other threads and waiting for them costs about as much.
#define PARALLEL_MIN_WORK 40000.0

// The work of items first .. end - 1 (end excluded), given a context the caller filled.
typedef void ParallelWork(void *context, long first, long end);

// Runs work on items 0 .. n_items - 1 and returns when they are all done. The items
// are cut into one contiguous range per thread, the same ranges whichever threads run
// them; the threads, the caller among them, take ranges until none is left, so usually
// each runs one (an empty range is skipped). When there is one thread, or the whole job
// (n_items · work_per_item operations) is smaller than PARALLEL_MIN_WORK, it is simply
// work(context, 0, n_items) on the calling thread.
void parallel_for(long n_items, double work_per_item, ParallelWork *work, void *context);

// The number of threads parallel_for uses: 1 until a program asks for more.
int parallel_threads(void);
// 1 .. PARALLEL_MAX_THREADS (clamped). A different number stops the pool's threads;
// the next job starts the new number of them.
void parallel_set_threads(int threads);
// The machine's online cores, at most PARALLEL_MAX_THREADS.
int parallel_online_cores(void);
// The thread count a program starts with: GPT_THREADS from the environment when it is
// set, else the machine's online cores. Returns 0, with a message in error, when
// GPT_THREADS is not a number from 1 to PARALLEL_MAX_THREADS.
int parallel_default_threads(char *error, size_t error_len);
// Stops and joins the pool's threads (parallel_for starts them again when needed).
// Called at exit, so that no thread outlives the program's memory.
void parallel_stop(void);

#endif
