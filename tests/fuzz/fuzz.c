// The fuzz stage (fuzz.h says what a case is and when it fails).
//
//   build/debug/fuzz/fuzz [--gpt build/debug/gpt] [--cases 1000] [--seed 1] [--jobs 2]
//                         [--timeout 30] [--only K] [--keep] [--dir DIR]
//
// Prints the seed, every failure (what was done, the command, why it failed; the case's
// files are kept), and at the end the number of cases and the time taken. Exits 1 when a
// case failed. `--seed S --only K` runs case K of seed S again, alone, and keeps it.
// getpid, mkdir, waitpid and kill are POSIX; realpath is in its X/Open part.
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

typedef struct Settings {
    char gpt[FUZZ_PATH];
    char dir[FUZZ_DIR - 16];
    int cases, jobs, only;
    uint64_t seed;
    double timeout, budget;  // budget: no case is started after this many seconds (0: none)
    bool keep;
} Settings;

static void usage(const char *problem) {
    fprintf(stderr, "fuzz: %s\nusage: fuzz [--gpt PROGRAM] [--cases N] [--seed S] [--jobs J] [--timeout SECONDS] "
            "[--seconds BUDGET] [--only K] [--keep] [--dir DIR]\n", problem);
    exit(2);
}

static Settings read_settings(int argc, char **argv) {
    Settings s = {.cases = 1000, .jobs = 2, .only = -1, .seed = 1, .timeout = 30.0};
    const char *gpt = "build/debug/gpt";
    snprintf(s.dir, sizeof s.dir, "/tmp/gpt1c_fuzz_%ld", (long)getpid());
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(flag, "--keep") == 0) {
            s.keep = true;
            continue;
        }
        if (value == NULL) usage("every option but --keep takes a value");
        i++;
        if (strcmp(flag, "--gpt") == 0) gpt = value;
        else if (strcmp(flag, "--dir") == 0) snprintf(s.dir, sizeof s.dir, "%s", value);
        else if (strcmp(flag, "--cases") == 0) s.cases = atoi(value);
        else if (strcmp(flag, "--jobs") == 0) s.jobs = atoi(value);
        else if (strcmp(flag, "--only") == 0) s.only = atoi(value);
        else if (strcmp(flag, "--seed") == 0) s.seed = strtoull(value, NULL, 10);
        else if (strcmp(flag, "--timeout") == 0) s.timeout = atof(value);
        else if (strcmp(flag, "--seconds") == 0) s.budget = atof(value);
        else usage("unknown option");
    }
    if (s.cases < 1 || s.jobs < 1 || s.jobs > 16 || !(s.timeout > 0)) usage("--cases, --jobs and --timeout must be positive");
    if (realpath(gpt, s.gpt) == NULL) usage("--gpt: no such program (build it first: make MODE=debug)");
    return s;
}

static void remove_tree(const char *path) {
    DIR *dir = opendir(path);
    if (dir != NULL) {
        for (struct dirent *e; (e = readdir(dir)) != NULL;) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char child[2 * FUZZ_PATH];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            struct stat info;
            if (lstat(child, &info) == 0 && S_ISDIR(info.st_mode)) remove_tree(child);
            else remove(child);
        }
        closedir(dir);
    }
    rmdir(path);
}

static void make_fuzz_case(Case *c, const Settings *s, const Seeds *seeds, int index) {
    case_init(c, index, s->seed, s->dir, s->gpt);
    if (mkdir(c->dir, 0700) != 0) {
        perror(c->dir);
        exit(2);
    }
    int kind = pick(c, 100);
    if (kind < 30) make_checkpoint_case(c, seeds);
    else if (kind < 40) make_vocabulary_case(c, seeds);
    else if (kind < 58) make_task_file_case(c, seeds);
    else if (kind < 68 && seeds->importer) make_import_case(c, seeds);
    else make_options_case(c, seeds);
}

// The command as a shell line, each argument quoted, for the report and for running it again.
static void print_command(FILE *out, const Case *c) {
    fprintf(out, "cd %s &&", c->dir);
    for (int i = 0; i < c->argc; i++) {
        fputs(" '", out);
        for (const char *p = c->argv[i]; *p; p++) {
            if (*p == '\'') fputs("'\\''", out);
            else fputc(*p, out);
        }
        fputc('\'', out);
    }
    fprintf(out, " <%s\n", c->stdin_path[0] ? c->stdin_path : "/dev/null");
}

static void report_failure(const Case *c, const Outcome *o, const Settings *s) {
    printf("FAIL case %d (%s: %s): %s\n  again: %s --seed %llu --only %d\n  command: ", c->index, c->kind, c->what,
           o->why, "build/debug/fuzz/fuzz", (unsigned long long)s->seed, c->index);
    print_command(stdout, c);
    char path[FUZZ_PATH + 16];
    snprintf(path, sizeof path, "%s/command.sh", c->dir);
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        print_command(f, c);
        fclose(f);
    }
    printf("  files, stdout and stderr kept in %s\n", c->dir);
    fflush(stdout);
}

// How the cases of each kind ended: exit 0, 1, 2, or otherwise.
enum { MAX_KINDS = 8 };

typedef struct Tally {
    const char *kind[MAX_KINDS];
    int ended[MAX_KINDS][4];
} Tally;

static void count_outcome(Tally *t, const char *kind, int exit_status) {
    int k = 0;
    while (k < MAX_KINDS - 1 && t->kind[k] != NULL && strcmp(t->kind[k], kind) != 0) k++;
    t->kind[k] = kind;
    t->ended[k][exit_status >= 0 && exit_status <= 2 ? exit_status : 3]++;
}

static void print_tally(const Tally *t) {
    for (int k = 0; k < MAX_KINDS && t->kind[k] != NULL; k++)
        printf("fuzz:   %-10s %4d cases: exit 0 %d, exit 1 %d, exit 2 %d, other %d\n", t->kind[k],
               t->ended[k][0] + t->ended[k][1] + t->ended[k][2] + t->ended[k][3], t->ended[k][0], t->ended[k][1],
               t->ended[k][2], t->ended[k][3]);
}

typedef struct Slot {
    Case c;
    Running run;
    bool busy;
} Slot;

// What a run that overran its time was doing (Linux: its state and the kernel function
// it waits in), kept beside its output.
static void describe_hang(const Slot *slot) {
    char command[3 * FUZZ_PATH];
    snprintf(command, sizeof command, "{ grep -E '^(State|Threads)' /proc/%d/status; cat /proc/%d/wchan; echo; "
             "cat /proc/%d/stack; } >%s/hang.txt 2>&1", slot->run.pid, slot->run.pid, slot->run.pid, slot->c.dir);
    if (system(command) != 0) return;  // not Linux, or the process is gone: nothing to add
}

// Waits for one run to end (or to overrun its time, then kills it) and judges it.
static Outcome finish_one(Slot *slots, int n_slots, double timeout, Slot **finished) {
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        for (int i = 0; i < n_slots; i++) {  // a run that ended
            if (!slots[i].busy || pid != slots[i].run.pid) continue;
            slots[i].busy = false;
            *finished = &slots[i];
            return judge_case(&slots[i].c, status, false, fuzz_now() - slots[i].run.started);
        }
        for (int i = 0; i < n_slots; i++) {  // a run past its time
            double seconds = fuzz_now() - slots[i].run.started;
            if (!slots[i].busy || seconds <= timeout) continue;
            describe_hang(&slots[i]);
            kill(-slots[i].run.pid, SIGKILL);
            waitpid(slots[i].run.pid, &status, 0);
            slots[i].busy = false;
            *finished = &slots[i];
            return judge_case(&slots[i].c, status, true, seconds);
        }
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

// What the run came to: the cases tried and failed, how each kind ended.
typedef struct Run {
    int first, last, next, done, failed;
    Tally tally;
    double start;
} Run;

// Judges a finished case: reports a failure (its files kept), removes a case that passed.
static void account(Run *run, const Settings *s, const Slot *slot, const Outcome *o) {
    run->done++;
    count_outcome(&run->tally, slot->c.kind, o->exit_status);
    if (o->failed) {
        run->failed++;
        report_failure(&slot->c, o, s);
    } else if (!s->keep && s->only < 0) {
        remove_tree(slot->c.dir);
    }
    if (run->done % 100 == 0) {
        printf("fuzz: %d cases, %d failed, %.0f s\n", run->done, run->failed, fuzz_now() - run->start);
        fflush(stdout);
    }
}

// Keeps s->jobs cases running until all are done, or the time budget stops new ones.
static void run_cases(Run *run, const Settings *s, const Seeds *seeds) {
    Slot *slots = calloc((size_t)s->jobs, sizeof *slots);
    if (slots == NULL) usage("out of memory");
    for (;;) {
        bool out_of_time = s->budget > 0 && fuzz_now() - run->start > s->budget;
        for (int i = 0; i < s->jobs && run->next < run->last && !out_of_time; i++) {
            if (slots[i].busy) continue;
            make_fuzz_case(&slots[i].c, s, seeds, run->next++);
            slots[i].run = start_case(&slots[i].c);
            slots[i].busy = true;
        }
        if (run->done == run->next - run->first) break;  // nothing running, nothing more to start
        Slot *slot;
        Outcome o = finish_one(slots, s->jobs, s->timeout, &slot);
        account(run, s, slot, &o);
    }
    free(slots);
}

int main(int argc, char **argv) {
    Settings s = read_settings(argc, argv);
    // Checked allocations must see NULL (not an ASan report) for an impossible size; a
    // report or an exit status of 86/87 is then a real fault.
    setenv("ASAN_OPTIONS", "allocator_may_return_null=1:max_allocation_size_mb=4096:detect_leaks=1:exitcode=86", 1);
    setenv("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=87", 1);
    Run run = {.first = s.only >= 0 ? s.only : 0, .last = s.only >= 0 ? s.only + 1 : s.cases, .start = fuzz_now()};
    run.next = run.first;
    char error[1024], seed_dir[FUZZ_PATH + 8];
    snprintf(seed_dir, sizeof seed_dir, "%s/seeds", s.dir);
    Seeds seeds;
    if (mkdir(s.dir, 0700) != 0 || mkdir(seed_dir, 0700) != 0) usage("cannot make the work directory (--dir)");
    if (!learn_commands(s.gpt, error, sizeof error) || !make_seeds(&seeds, seed_dir, s.gpt, error, sizeof error)) {
        fprintf(stderr, "fuzz: %s\n", error);
        return 2;
    }
    printf("fuzz: seed %llu, cases %d to %d, %d at a time, %.0f s each at most, %d commands; program %s\n",
           (unsigned long long)s.seed, run.first, run.last - 1, s.jobs, s.timeout, fuzz_command_count(), s.gpt);
    fflush(stdout);
    run_cases(&run, &s, &seeds);
    if (run.failed == 0 && !s.keep && s.only < 0) remove_tree(s.dir);
    print_tally(&run.tally);
    if (run.next < run.last)
        printf("fuzz: the time budget of %.0f s ran out: cases %d to %d were not tried\n", s.budget, run.next,
               run.last - 1);
    printf("fuzz: %d cases in %.1f s (seed %llu, seeds included): %d failed\n", run.done, fuzz_now() - run.start,
           (unsigned long long)s.seed, run.failed);
    return run.failed > 0 ? 1 : 0;
}
