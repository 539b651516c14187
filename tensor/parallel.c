// The thread pool behind parallel_for (tensor/parallel.h).
//
// One job at a time. A job's items are cut into one range per thread. The calling
// thread writes the job (work, context, n_items) and bumps a generation counter; every
// thread, the caller included, then claims ranges one at a time from a shared counter
// and runs them, until none is left; the caller returns when all the ranges are done.
// Usually each thread claims one range. But a helper that is asleep, or that another
// program has pushed off its core, claims nothing, and the threads that are running
// do its range: the job never waits for a thread that has not started it. Which
// thread runs a range changes nothing in the results.
//
// Between jobs the helpers sleep on a condition variable. A training step runs a few
// hundred jobs a few microseconds apart, and waking a sleeping thread takes about as
// long as a small job, so the helpers first watch the generation for a while (SPIN_CHECKS
// reads, a hundred microseconds or so) before they go to sleep; the caller watches the
// count of finished ranges the same way. Every YIELD_EVERY reads the watcher offers its
// core to others (sched_yield): to other programs on a busy machine, and to the other
// threads under valgrind, which runs one thread at a time.
//
// The counters are C11 atomics: a thread that claims a range with acquire order also
// sees the job the caller wrote before it published the range, and the caller that
// reads the count of finished ranges sees everything the threads wrote. The claim
// counter holds the generation too (generation · CLAIM_SPAN + next range), so a helper
// that wakes up late cannot claim a range of a later job believing it is the job it saw.
// The mutex and the condition variables only serve sleeping and waking.
#define _POSIX_C_SOURCE 200809L  // sysconf, pthreads

#include "tensor/parallel.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

// Reads of a counter before sleeping, and between two offers of the core.
enum { SPIN_CHECKS = 100000, YIELD_EVERY = 1024 };
// More than the ranges of a job (one per thread).
enum { CLAIM_SPAN = 2 * PARALLEL_MAX_THREADS };

typedef struct Pool {
    pthread_mutex_t lock;
    pthread_cond_t job_posted;  // a new generation, or stop
    pthread_cond_t job_done;    // the last range is done
    pthread_t helpers[PARALLEL_MAX_THREADS];
    int n_helpers;              // running helper threads: threads - 1, or 0 when stopped
    int n_ranges;               // n_helpers + 1: the ranges of every job
    atomic_long generation;     // +1 per job
    atomic_long claim;          // generation · CLAIM_SPAN + the next range to claim
    atomic_int done;            // ranges of the current job finished
    atomic_bool stopping;
    // the current job, written by the caller before it bumps the generation
    ParallelWork *work;
    void *context;
    long n_items;
} Pool;

static Pool pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
                    .job_posted = PTHREAD_COND_INITIALIZER,
                    .job_done = PTHREAD_COND_INITIALIZER};
static int n_threads = 1;  // what parallel_for uses; the pool starts with the first job
// True on the helpers, and on the caller while it runs a job: a parallel_for inside a
// job runs on the thread that calls it.
static _Thread_local bool inside_job = false;

int parallel_threads(void) { return n_threads; }

// The next range of the job of `generation`, or -1 when that job has none left.
static int claim_range(long generation) {
    long value = atomic_load_explicit(&pool.claim, memory_order_acquire);
    while (value / CLAIM_SPAN == generation && value % CLAIM_SPAN < pool.n_ranges)
        if (atomic_compare_exchange_weak_explicit(&pool.claim, &value, value + 1, memory_order_acq_rel,
                                                  memory_order_acquire))
            return (int)(value % CLAIM_SPAN);
    return -1;
}

// Range r of the job holds items [n·r/ranges, n·(r+1)/ranges). Runs every range this
// thread can claim; the thread that finishes the last one wakes the caller.
static void run_ranges(long generation) {
    int range;
    while ((range = claim_range(generation)) >= 0) {
        long n = pool.n_items, first = n * range / pool.n_ranges, end = n * (range + 1) / pool.n_ranges;
        if (first < end) pool.work(pool.context, first, end);
        if (atomic_fetch_add_explicit(&pool.done, 1, memory_order_acq_rel) + 1 == pool.n_ranges) {
            pthread_mutex_lock(&pool.lock);  // the caller may be asleep
            pthread_cond_signal(&pool.job_done);
            pthread_mutex_unlock(&pool.lock);
        }
    }
}

// Waits for a generation other than `seen` and returns it (stopping also counts).
static long wait_for_job(long seen) {
    for (int i = 1; i <= SPIN_CHECKS; i++) {
        long generation = atomic_load_explicit(&pool.generation, memory_order_acquire);
        if (generation != seen) return generation;
        if (i % YIELD_EVERY == 0) sched_yield();
    }
    pthread_mutex_lock(&pool.lock);
    while (atomic_load(&pool.generation) == seen && !atomic_load(&pool.stopping))
        pthread_cond_wait(&pool.job_posted, &pool.lock);
    long generation = atomic_load(&pool.generation);
    pthread_mutex_unlock(&pool.lock);
    return generation;
}

static void *helper_main(void *argument) {
    long seen = *(const long *)argument;  // the generation when the pool started
    inside_job = true;
    for (;;) {
        seen = wait_for_job(seen);
        if (atomic_load(&pool.stopping)) return NULL;
        run_ranges(seen);
    }
}

static void wait_for_ranges(void) {
    for (int i = 1; i <= SPIN_CHECKS; i++) {
        if (atomic_load_explicit(&pool.done, memory_order_acquire) == pool.n_ranges) return;
        if (i % YIELD_EVERY == 0) sched_yield();
    }
    pthread_mutex_lock(&pool.lock);
    while (atomic_load(&pool.done) < pool.n_ranges) pthread_cond_wait(&pool.job_done, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
}

// A child made by fork() has only the thread that forked: it forgets the pool's
// threads (the next job starts new ones). The lock is held across the fork so that
// the child does not inherit it locked by a helper.
static void before_fork(void) { pthread_mutex_lock(&pool.lock); }
static void after_fork_in_parent(void) { pthread_mutex_unlock(&pool.lock); }
static void after_fork_in_child(void) {
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.job_posted, NULL);
    pthread_cond_init(&pool.job_done, NULL);
    pool.n_helpers = 0;
}

static void start_pool(void) {
    static bool hooks_installed = false;
    static long first_generation;  // read by the helpers as they start
    if (!hooks_installed) {
        pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
        atexit(parallel_stop);
        hooks_installed = true;
    }
    atomic_store(&pool.stopping, false);
    first_generation = atomic_load(&pool.generation);
    pool.n_helpers = n_threads - 1;
    pool.n_ranges = n_threads;
    for (int i = 0; i < pool.n_helpers; i++) {
        int status = pthread_create(&pool.helpers[i], NULL, helper_main, &first_generation);
        if (status != 0) {
            fprintf(stderr, "parallel: could not start thread %d of %d (error %d); try fewer threads (--threads)\n",
                    i + 2, n_threads, status);
            exit(EXIT_FAILURE);
        }
    }
}

void parallel_for(long n_items, double work_per_item, ParallelWork *work, void *context) {
    if (n_threads == 1 || inside_job || n_items < 2 || (double)n_items * work_per_item < PARALLEL_MIN_WORK) {
        if (n_items > 0) work(context, 0, n_items);
        return;
    }
    if (pool.n_helpers == 0) start_pool();
    pool.work = work;
    pool.context = context;
    pool.n_items = n_items;
    atomic_store(&pool.done, 0);
    long generation = atomic_load(&pool.generation) + 1;
    atomic_store_explicit(&pool.claim, generation * CLAIM_SPAN, memory_order_release);  // publishes the job
    pthread_mutex_lock(&pool.lock);
    atomic_store(&pool.generation, generation);
    pthread_cond_broadcast(&pool.job_posted);
    pthread_mutex_unlock(&pool.lock);
    inside_job = true;
    run_ranges(generation);
    inside_job = false;
    wait_for_ranges();
}

void parallel_stop(void) {
    if (pool.n_helpers == 0) return;
    pthread_mutex_lock(&pool.lock);
    atomic_store(&pool.stopping, true);
    pthread_cond_broadcast(&pool.job_posted);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < pool.n_helpers; i++) pthread_join(pool.helpers[i], NULL);
    pool.n_helpers = 0;
}

void parallel_set_threads(int threads) {
    if (threads < 1) threads = 1;
    if (threads > PARALLEL_MAX_THREADS) threads = PARALLEL_MAX_THREADS;
    if (threads != n_threads) parallel_stop();
    n_threads = threads;
}

int parallel_online_cores(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) return 1;
    return cores > PARALLEL_MAX_THREADS ? PARALLEL_MAX_THREADS : (int)cores;
}

int parallel_default_threads(char *error, size_t error_len) {
    const char *text = getenv("GPT_THREADS");
    if (text == NULL || *text == '\0') return parallel_online_cores();
    char *end;
    errno = 0;
    long threads = strtol(text, &end, 10);
    if (*end != '\0' || errno != 0 || threads < 1 || threads > PARALLEL_MAX_THREADS) {
        snprintf(error, error_len, "GPT_THREADS must be a number of threads from 1 to %d, got '%s'",
                 PARALLEL_MAX_THREADS, text);
        return 0;
    }
    return (int)threads;
}
