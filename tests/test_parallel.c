// tensor/parallel.c and the kernels that use it: parallel_for runs every item once,
// on more than one thread; every kernel that splits its work gives the same bits with
// 1, 2 and 3 threads; and the gpt program writes the same checkpoint with --threads 1
// and --threads 2, resumed or not.
#define _POSIX_C_SOURCE 200809L  // setenv, pthread_self, nanosleep

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "autograd/tape.h"
#include "tensor/kernels.h"
#include "tensor/matmul.h"
#include "tensor/parallel.h"
#include "tests/helpers.h"

// The thread count the test binary runs with (GPT_THREADS), restored after each test.
static int threads_before;
static void remember_threads(void) { threads_before = parallel_threads(); }
static void restore_threads(void) { parallel_set_threads(threads_before); }

enum { MAX_ITEMS = 1000 };

typedef struct Visits {
    int count[MAX_ITEMS];       // how often each item was visited
    pthread_t thread[MAX_ITEMS];  // the thread that visited it
} Visits;

static void visit(void *context, long first, long end) {
    Visits *v = context;
    for (long i = first; i < end; i++) {
        v->count[i]++;
        v->thread[i] = pthread_self();
    }
}

START_TEST(test_every_item_once) {
    static Visits v;
    const long sizes[] = {0, 1, 2, 3, 7, 64, 999};
    for (int threads = 1; threads <= 4; threads++) {
        parallel_set_threads(threads);
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            memset(&v, 0, sizeof v);
            parallel_for(sizes[s], 1e6, visit, &v);  // work enough to use every thread
            long i = 0;
            while (i < MAX_ITEMS && v.count[i] == (i < sizes[s])) i++;
            ck_assert_msg(i == MAX_ITEMS, "%d threads, %ld items: item %ld visited %d times", threads, sizes[s], i,
                          v.count[i < MAX_ITEMS ? i : 0]);
        }
    }
}
END_TEST

// With two threads a large job is cut into two ranges of items, each run by one thread,
// and the two run at the same time: the first item of one range waits (up to 10 s) until
// an item of the other has been visited, which never happens if the ranges run one
// after the other. A small job, or any job with one thread, runs on the caller.
typedef struct Meeting {
    Visits visits;
    atomic_int visited;  // items visited so far
} Meeting;

static void meet(void *context, long first, long end) {
    Meeting *m = context;
    struct timespec millisecond = {0, 1000000};
    if (first == 0)
        for (int wait = 0; wait < 10000 && atomic_load(&m->visited) == 0; wait++) nanosleep(&millisecond, NULL);
    for (long i = first; i < end; i++) {
        m->visits.count[i]++;
        m->visits.thread[i] = pthread_self();
        atomic_fetch_add(&m->visited, 1);
    }
}

START_TEST(test_work_is_shared_only_when_worth_it) {
    static Meeting m;
    static Visits v;
    pthread_t me = pthread_self();
    parallel_set_threads(2);
    ck_assert_int_eq(parallel_threads(), 2);
    for (int job = 0; job < 20; job++) {  // the helper sleeps and wakes between jobs
        memset(&m.visits, 0, sizeof m.visits);
        atomic_store(&m.visited, 0);
        parallel_for(10, 1e6, meet, &m);
        ck_assert_msg(m.visits.count[4] == 1 && m.visits.count[5] == 1, "job %d: items left out", job);
        ck_assert_msg(!pthread_equal(m.visits.thread[0], m.visits.thread[5]), "job %d: one thread ran both ranges", job);
        for (int i = 1; i < 10; i++) ck_assert(pthread_equal(m.visits.thread[i], m.visits.thread[i < 5 ? 0 : 5]));
    }
    parallel_for(10, PARALLEL_MIN_WORK / 20, visit, &v);  // half the smallest job worth sharing
    for (int i = 0; i < 10; i++) ck_assert(pthread_equal(v.thread[i], me));
    parallel_set_threads(1);
    parallel_for(10, 1e6, visit, &v);
    for (int i = 0; i < 10; i++) ck_assert(pthread_equal(v.thread[i], me));
}
END_TEST

// A kernel called inside a job (here: parallel_for in parallel_for) runs on the thread
// that calls it: item i of the outer job fills visits[i] alone.
static void nested(void *context, long first, long end) {
    Visits *visits = context;
    for (long i = first; i < end; i++) parallel_for(10, 1e6, visit, &visits[i]);
}

START_TEST(test_nested_job_runs_inline) {
    static Visits visits[2];
    memset(visits, 0, sizeof visits);
    parallel_set_threads(2);
    parallel_for(2, 1e6, nested, visits);
    for (int v = 0; v < 2; v++)
        for (int i = 0; i < 10; i++) {
            ck_assert_int_eq(visits[v].count[i], 1);
            ck_assert(pthread_equal(visits[v].thread[i], visits[v].thread[0]));
        }
}
END_TEST

START_TEST(test_thread_counts) {
    parallel_set_threads(0);
    ck_assert_int_eq(parallel_threads(), 1);
    parallel_set_threads(PARALLEL_MAX_THREADS + 5);
    ck_assert_int_eq(parallel_threads(), PARALLEL_MAX_THREADS);
    ck_assert_int_ge(parallel_online_cores(), 1);
    char error[160] = "";
    setenv("GPT_THREADS", "3", 1);
    ck_assert_int_eq(parallel_default_threads(error, sizeof error), 3);
    const char *bad[] = {"0", "-1", "two", "2x", "999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("GPT_THREADS", bad[i], 1);
        ck_assert_int_eq(parallel_default_threads(error, sizeof error), 0);
        ck_assert_msg(strstr(error, "GPT_THREADS must be a number of threads") != NULL, "%s", error);
    }
    unsetenv("GPT_THREADS");
    ck_assert_int_eq(parallel_default_threads(error, sizeof error), parallel_online_cores());
}
END_TEST

// --- every kernel that splits its work: the same bits with 1, 2 and 3 threads ---------
// Sizes are odd, so that no range divides evenly, and large enough to be shared out.
enum { ROWS = 37, COLS = 300, BIG_ROWS = 300, VOCAB = 53, ELEMENTS = 50001, IDS = 160, TABLE_ROWS = 13 };
static float in_x[ELEMENTS], in_y[ELEMENTS], in_gain[COLS];
static int ids[IDS], targets[BIG_ROWS];

static void fill_inputs(void) {
    Rng rng;
    rng_seed(&rng, 31);
    for (int i = 0; i < ELEMENTS; i++) in_x[i] = rng_normal(&rng, 0.0f, 2.0f), in_y[i] = rng_normal(&rng, 0.0f, 1.0f);
    for (int i = 0; i < COLS; i++) in_gain[i] = rng_normal(&rng, 1.0f, 0.1f);
    for (int i = 0; i < IDS; i++) ids[i] = rng_below(&rng, TABLE_ROWS);  // many repeats
    for (int i = 0; i < BIG_ROWS; i++) targets[i] = i % 7 == 3 ? CROSS_ENTROPY_IGNORE : rng_below(&rng, VOCAB);
}

// Each runs one kernel (forward and backward) from the fixed inputs into out, which
// starts at 0.5 everywhere, so that the backward kernels' += is seen.
typedef void KernelRun(float *out);

static void run_matmul(float *out) {  // cut by columns (m < n), by rows (m > n), and batched
    matmul_ab(out, in_x, in_y, 40, 301, 130, true);
    matmul_abt(out + 6000, in_x, in_y, 200, 50, 70, false);
    matmul_atb(out + 20000, in_x, in_y, 70, 50, 200, true);
    matmul_ab_batched(out + 40000, in_x, in_y, 5, 33, 17, 29, true);
}
static void run_softmax(float *out) {
    softmax_forward(out, in_x, ROWS, COLS);
    softmax_backward(out + ROWS * COLS, in_y, out, ROWS, COLS);
    log_softmax_forward(out + 2 * ROWS * COLS, in_x, ROWS, COLS);
    log_softmax_backward(out + 3 * ROWS * COLS, in_y, out + 2 * ROWS * COLS, ROWS, COLS);
}
static void run_layer_norm(float *out) {
    float *mean = out + ROWS * COLS, *rstd = mean + ROWS, *dgain = rstd + ROWS, *dbias = dgain + COLS;
    layer_norm_forward(out, mean, rstd, in_x, in_gain, in_y, ROWS, COLS);
    layer_norm_backward(dbias + COLS, dgain, dbias, in_y, in_x, mean, rstd, in_gain, ROWS, COLS);
}
static void run_cross_entropy(float *out) {
    long counted = cross_entropy_forward(out, out + 1, in_x, targets, BIG_ROWS, VOCAB);
    cross_entropy_backward(out + 1 + BIG_ROWS * VOCAB, 1.5f, out + 1, targets, BIG_ROWS, VOCAB, counted);
}
static void run_elementwise(float *out) {
    relu_forward(out, in_x, ELEMENTS);
    relu_backward(out + ELEMENTS, in_y, in_x, ELEMENTS);
    gelu_forward(out + 2 * ELEMENTS, in_x, ELEMENTS / 5);
    gelu_backward(out + 3 * ELEMENTS, in_y, in_x, ELEMENTS / 5);
    subtract_scaled(out + 4 * ELEMENTS, in_y, 0.3f, ELEMENTS);
    scale_forward(out, out, 0.7f, ELEMENTS);  // in place, as clip_gradients does
    scale_backward(out + ELEMENTS, in_y, 0.7f, ELEMENTS);
    out[5 * ELEMENTS] = (float)sum_of_squares(in_x, ELEMENTS);
}
static void run_add(float *out) {
    add_forward(out, in_x, in_y, 150 * COLS, COLS);  // a bias over rows
    add_forward(out + 150 * COLS, in_x, in_y, ELEMENTS, ELEMENTS);  // equal sizes
    add_backward(out + 2 * ELEMENTS, out + 3 * ELEMENTS, in_y, 150 * COLS, COLS);
}
static void run_gather(float *out) {
    gather_rows_forward(out, in_x, ids, IDS, COLS);
    gather_rows_backward(out + IDS * COLS, in_y, ids, IDS, COLS);
}
static void run_copies(float *out) {  // 7 sequences of 50 positions, 4 heads of 30 features
    split_heads_forward(out, in_x, 7, 50, 4, 30);
    split_heads_backward(out + 42000, in_y, 7, 50, 4, 30);
    merge_heads_forward(out + 84000, in_x, 7, 50, 4, 30);
    merge_heads_backward(out + 126000, in_y, 7, 50, 4, 30);
    columns_forward(out + 168000, in_x, 350, 120, 50, 60);
    columns_backward(out + 189000, in_y, 350, 120, 50, 60);
    arena_reset(step_arena());
    memset(arena_alloc(step_arena(), 200000), 0xff, 200000);  // the same memory, dirty, for arena_calloc
    arena_reset(step_arena());
    float *zeros = arena_calloc(step_arena(), 200000);  // 49 pieces of 4 KB zeroed by the threads
    memcpy(out + 231000, zeros, 200000);
    arena_reset(step_arena());
}

static void assert_same_bits_at_any_thread_count(const char *name, KernelRun *run) {
    enum { OUT = 6 * ELEMENTS };
    static float first[OUT], other[OUT];
    parallel_set_threads(1);
    for (int i = 0; i < OUT; i++) first[i] = 0.5f;
    run(first);
    for (int threads = 2; threads <= 3; threads++) {
        parallel_set_threads(threads);
        for (int i = 0; i < OUT; i++) other[i] = 0.5f;
        run(other);
        int i = 0;  // the first element that differs (one assertion: Check records each one it passes)
        while (i < OUT && memcmp(&first[i], &other[i], sizeof(float)) == 0) i++;
        ck_assert_msg(i == OUT, "%s: %d threads: element %d is %.9g, not %.9g", name, threads, i,
                      (double)other[i < OUT ? i : 0], (double)first[i < OUT ? i : 0]);
    }
}

START_TEST(test_kernels_same_bits_at_any_thread_count) {
    fill_inputs();
    assert_same_bits_at_any_thread_count("matmul", run_matmul);
    assert_same_bits_at_any_thread_count("softmax", run_softmax);
    assert_same_bits_at_any_thread_count("layer norm", run_layer_norm);
    assert_same_bits_at_any_thread_count("cross-entropy", run_cross_entropy);
    assert_same_bits_at_any_thread_count("relu, gelu, sgd, scale, sum of squares", run_elementwise);
    assert_same_bits_at_any_thread_count("add", run_add);
    assert_same_bits_at_any_thread_count("gather", run_gather);
    assert_same_bits_at_any_thread_count("head and column copies, zeroed memory", run_copies);
}
END_TEST

// --- the gpt program: the same checkpoint bytes with 1 and 2 threads ------------------
static const char *TEXT =
    "the cat sat on the mat. the dog sat on the log. the cat saw the dog. the dog saw the cat.\n"
    "a small model learns which letter follows which, then which word follows which.\n";

static bool same_files(const char *a, const char *b) {
    char command[600];
    snprintf(command, sizeof command, "cmp -s %s %s", a, b);
    return system(command) == 0;
}

// GELU and dropout on (the paper's choices), the gradients clipped, a context long enough
// for several heads of attention to be shared out; `steps` completes the command. With
// `resume`, the model (and so its flags, which --resume refuses) comes from that checkpoint.
static int pretrain_with(int threads, const char *data, const char *out, long steps, const char *resume) {
    char args[1024], model[300];
    if (resume != NULL) snprintf(model, sizeof model, "--resume %s", resume);
    else snprintf(model, sizeof model, "--preset nano --ctx 32 --act gelu --dropout 0.1 --tokenizer chars");
    snprintf(args, sizeof args,
             "pretrain --data %s %s --batch 4 --clip 0.5 --eval-every 3 --steps %ld --threads %d --out %s "
             "--sample-tokens 0 --quiet",
             data, model, steps, threads, out);
    return run_gpt(args);
}

START_TEST(test_checkpoints_equal_with_one_and_two_threads) {
    const char *data = temp_file("threads_text.txt");
    FILE *f = fopen(data, "w");
    fputs(TEXT, f);
    fclose(f);
    char one[256], two[256], resumed[256];
    snprintf(one, sizeof one, "%s", temp_file("threads_1.ckpt"));
    snprintf(two, sizeof two, "%s", temp_file("threads_2.ckpt"));
    snprintf(resumed, sizeof resumed, "%s", temp_file("threads_resumed.ckpt"));
    ck_assert_msg(pretrain_with(1, data, one, 6, NULL) == 0, "%s", gpt_output);
    ck_assert_msg(pretrain_with(2, data, two, 6, NULL) == 0, "%s", gpt_output);
    ck_assert_msg(same_files(one, two), "the checkpoints of --threads 1 and --threads 2 differ");
    // 3 steps on 2 threads, then resumed on 1 thread up to 6: the same bytes again
    ck_assert_msg(pretrain_with(2, data, resumed, 3, NULL) == 0, "%s", gpt_output);
    ck_assert_msg(pretrain_with(1, data, resumed, 6, resumed) == 0, "%s", gpt_output);
    ck_assert_msg(same_files(one, resumed), "a run resumed with another thread count differs");
    // Adam's update, with its moments, is shared out too: the same bytes again
    for (int threads = 1; threads <= 2; threads++) {
        char adam[700];
        snprintf(adam, sizeof adam, "pretrain --data %s --preset nano --ctx 32 --tokenizer chars --batch 4 --steps 4 "
                 "--optimizer adam --lr 0.01 --threads %d --out %s --sample-tokens 0 --quiet", data, threads,
                 threads == 1 ? one : two);
        ck_assert_msg(run_gpt(adam) == 0, "%s", gpt_output);
    }
    ck_assert_msg(same_files(one, two), "Adam's checkpoints of --threads 1 and --threads 2 differ");
    // GPT_THREADS chooses the thread count when --threads is not given
    char args[600];
    snprintf(args, sizeof args, "env GPT_THREADS=1 %s bench --preset nano --batch 1 --seq 8 --steps 1", GPT_PROGRAM);
    ck_assert_int_eq(system(strcat(args, " | grep -q threads=1")), 0);
    remove(data), remove(one), remove(two), remove(resumed);
}
END_TEST

START_TEST(test_bad_thread_counts_exit_2) {
    assert_usage_error("bench --preset nano --steps 1 --threads 0", "--threads must be from 1 to");
    assert_usage_error("sample --ckpt x --threads 100", "--threads must be from 1 to");
    assert_usage_error("eval --ckpt x --data y --threads two", "--threads expects an integer, got 'two'");
    char args[300];
    snprintf(args, sizeof args, "env GPT_THREADS=lots %s bench --preset nano --steps 1 2>&1 | grep -q "
             "\"GPT_THREADS must be a number of threads from 1 to\"", GPT_PROGRAM);
    ck_assert_int_eq(system(args), 0);
}
END_TEST

Suite *parallel_suite(void) {
    Suite *s = suite_create("parallel");
    TCase *tc = tcase_create("pool");
    tcase_add_checked_fixture(tc, remember_threads, restore_threads);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_every_item_once);
    tcase_add_test(tc, test_work_is_shared_only_when_worth_it);
    tcase_add_test(tc, test_nested_job_runs_inline);
    tcase_add_test(tc, test_thread_counts);
    tcase_add_test(tc, test_kernels_same_bits_at_any_thread_count);
    suite_add_tcase(s, tc);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 120);
    tcase_add_test(program, test_checkpoints_equal_with_one_and_two_threads);
    tcase_add_test(program, test_bad_thread_counts_exit_2);
    suite_add_tcase(s, program);
    return s;
}
