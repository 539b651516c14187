// The thread pool behind parallel_for (tensor/parallel.h).
//
// One job at a time: the calling thread writes the job (work, context, n_items) and
// bumps a generation counter; each helper thread sees the new generation, runs its
// range of items, and counts itself out; the caller runs range 0 itself, then waits
// until every helper has counted out. Between jobs the helpers sleep on a condition
// variable. A training step runs a few hundred jobs a few microseconds apart, and
// waking a sleeping thread takes about as long as a small job, so both sides first
// watch the counter for a short while (SPIN_CHECKS reads) before going to sleep.
//
// The generation and the count of helpers still working are C11 atomics: a helper
// that reads the new generation with acquire order also sees the job written before
// it, and the caller that reads the count at zero also sees everything the helpers
// wrote. The mutex and the condition variables only serve sleeping and waking.
#define _POSIX_C_SOURCE 200809L  // sysconf, pthreads

#include "tensor/parallel.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

// Reads of the counter before sleeping: some tens of microseconds.
enum { SPIN_CHECKS = 50000 };

typedef struct Pool {
    pthread_mutex_t lock;
    pthread_cond_t job_posted;  // a new generation, or stop
    pthread_cond_t job_done;    // the last helper counted out
    pthread_t helpers[PARALLEL_MAX_THREADS];
    int n_helpers;              // running helper threads: threads - 1, or 0 when stopped
    atomic_long generation;     // +1 per job
    atomic_int pending;         // helpers still working on the current job
    atomic_bool stopping;
    long first_generation;      // the generation when the helpers were started
    // the current job, written by the caller before it bumps the generation
    ParallelWork *work;
    void *context;
    long n_items;
} Pool;

static Pool pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
                    .job_posted = PTHREAD_COND_INITIALIZER,
                    .job_done = PTHREAD_COND_INITIALIZER};
static int n_threads = 1;  // what parallel_for uses; the pool starts with the first job
// True on the helpers, and on the caller while it runs its range: a parallel_for
// inside a job runs on the thread that calls it.
static _Thread_local bool inside_job = false;

int parallel_threads(void) { return n_threads; }

// Thread `index` of `threads` takes items [n·index/threads, n·(index+1)/threads).
static void run_range(int index, int threads) {
    long first = pool.n_items * index / threads, end = pool.n_items * (index + 1) / threads;
    if (first < end) pool.work(pool.context, first, end);
}

// Waits for a generation other than `seen` and returns it (stopping also counts).
static long wait_for_job(long seen) {
    for (int i = 0; i < SPIN_CHECKS; i++) {
        long generation = atomic_load_explicit(&pool.generation, memory_order_acquire);
        if (generation != seen) return generation;
    }
    pthread_mutex_lock(&pool.lock);
    while (atomic_load(&pool.generation) == seen && !atomic_load(&pool.stopping))
        pthread_cond_wait(&pool.job_posted, &pool.lock);
    long generation = atomic_load(&pool.generation);
    pthread_mutex_unlock(&pool.lock);
    return generation;
}

static void *helper_main(void *argument) {
    int index = (int)(intptr_t)argument;  // 1 .. n_helpers; the caller is thread 0
    long seen = pool.first_generation;
    inside_job = true;
    for (;;) {
        seen = wait_for_job(seen);
        if (atomic_load(&pool.stopping)) return NULL;
        run_range(index, pool.n_helpers + 1);
        if (atomic_fetch_sub_explicit(&pool.pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&pool.lock);  // the caller may be asleep: wake it
            pthread_cond_signal(&pool.job_done);
            pthread_mutex_unlock(&pool.lock);
        }
    }
}

static void wait_for_helpers(void) {
    for (int i = 0; i < SPIN_CHECKS; i++)
        if (atomic_load_explicit(&pool.pending, memory_order_acquire) == 0) return;
    pthread_mutex_lock(&pool.lock);
    while (atomic_load(&pool.pending) > 0) pthread_cond_wait(&pool.job_done, &pool.lock);
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
    if (!hooks_installed) {
        pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
        atexit(parallel_stop);
        hooks_installed = true;
    }
    atomic_store(&pool.stopping, false);
    pool.first_generation = atomic_load(&pool.generation);
    pool.n_helpers = n_threads - 1;
    for (int i = 1; i < n_threads; i++) {
        int status = pthread_create(&pool.helpers[i - 1], NULL, helper_main, (void *)(intptr_t)i);
        if (status != 0) {
            fprintf(stderr, "parallel: could not start thread %d of %d (error %d); try fewer threads (--threads)\n", i,
                    n_threads, status);
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
    atomic_store(&pool.pending, pool.n_helpers);
    pthread_mutex_lock(&pool.lock);
    atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
    pthread_cond_broadcast(&pool.job_posted);
    pthread_mutex_unlock(&pool.lock);
    inside_job = true;
    run_range(0, pool.n_helpers + 1);
    inside_job = false;
    wait_for_helpers();
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
