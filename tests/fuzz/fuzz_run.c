// Running a case: the program in the case's directory with its own process group (so a
// timeout kills all of it), and the verdict on what it did.
// fork, execv, setpgid, dup2, opendir and clock_gettime are POSIX.
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

double fuzz_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void redirect(const char *path, int fd, int flags) {
    int opened = open(path, flags, 0600);
    if (opened < 0 || dup2(opened, fd) < 0) _exit(125);
    close(opened);
}

Running start_case(const Case *c) {
    char out[FUZZ_PATH + 16], err[FUZZ_PATH + 16];
    snprintf(out, sizeof out, "%s/stdout", c->dir);
    snprintf(err, sizeof err, "%s/stderr", c->dir);
    fflush(NULL);
    int pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        if (chdir(c->dir) != 0) _exit(125);
        redirect(c->stdin_path[0] ? c->stdin_path : "/dev/null", 0, O_RDONLY);
        redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
        redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
        execv(c->argv[0], c->argv);
        _exit(126);
    }
    if (pid < 0) {
        perror("fuzz: fork");
        exit(2);
    }
    setpgid(pid, pid);  // also here: the timeout may come before the child ran setpgid
    return (Running){.pid = pid, .started = fuzz_now()};
}

static char *read_output(const Case *c, const char *name) {
    char path[FUZZ_PATH + 16];
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    size_t n;
    unsigned char *bytes = read_bytes(path, &n);
    if (bytes == NULL) return calloc(1, 1);
    char *text = realloc(bytes, n + 1);
    text[n] = '\0';
    return text;
}

// "a|b": whether the text holds a or b; "" asks for any text at all.
static bool holds_one_of(const char *text, const char *alternatives) {
    char copy[256];
    snprintf(copy, sizeof copy, "%s", alternatives);
    if (copy[0] == '\0') return text[0] != '\0';
    for (char *one = strtok(copy, "|"); one != NULL; one = strtok(NULL, "|"))
        if (strstr(text, one) != NULL) return true;
    return false;
}

// The value the run was given for --out (the last one counts, as the program reads them).
static const char *out_value(const Case *c, const char *fallback) {
    const char *value = fallback;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--out") == 0 && i + 1 < c->argc) value = c->argv[++i];
        else if (strncmp(c->argv[i], "--out=", 6) == 0) value = c->argv[i] + 6;
    }
    return value;
}

static bool file_has_bytes(const Case *c, const char *path) {
    char full[2 * FUZZ_PATH];
    snprintf(full, sizeof full, "%s%s%s", path[0] == '/' ? "" : c->dir, path[0] == '/' ? "" : "/", path);
    struct stat info;
    return stat(full, &info) == 0 && info.st_size > 0;
}

static int count_output_lines(const char *text) {
    int n = 0;
    for (; *text; text++) n += *text == '\n';
    return n;
}

// "loss: nan", "p=-nan": the word nan, not "preset=nano".
static bool holds_nan(const char *text) {
    for (const char *at = strstr(text, "nan"); at != NULL; at = strstr(at + 1, "nan")) {
        bool word_start = at == text || !isalpha((unsigned char)at[-1]);
        if (word_start && !isalpha((unsigned char)at[3])) return true;
    }
    return false;
}

// What a run that exits 0 must have shown.
static bool judge_success(const Case *c, const char *out, const char *err, char *why, size_t size) {
    if (strncmp(out, "usage: gpt", 10) == 0) return true;  // --help, wherever it was
    const Expect *e = &c->expect;
    const char *file = e->file[0] ? out_value(c, e->file) : NULL;
    if (e->stdout_has && !holds_one_of(out, e->stdout_has))
        snprintf(why, size, "exit 0, but stdout lacks '%s'", e->stdout_has[0] ? e->stdout_has : "any output");
    else if (e->stderr_has && !holds_one_of(err, e->stderr_has))
        snprintf(why, size, "exit 0, but stderr lacks '%s'", e->stderr_has);
    else if (file != NULL && !file_has_bytes(c, file))
        snprintf(why, size, "exit 0, but %s was not written", file);
    else if (holds_nan(out))
        snprintf(why, size, "exit 0 with a NaN in the output: %.80s", out);
    else if (e->stdout_lines > 0 && count_output_lines(out) != e->stdout_lines)
        snprintf(why, size, "exit 0 with %d lines of answers for %d lines", count_output_lines(out), e->stdout_lines);
    else
        return true;
    return false;
}

// A line "checkpoint: PATH (step N)" promises PATH.
static bool checkpoint_claim_holds(const Case *c, const char *err, char *why, size_t size) {
    const char *claim = strncmp(err, "checkpoint: ", 12) == 0 ? err : strstr(err, "\ncheckpoint: ");
    if (claim == NULL) return true;
    char path[FUZZ_PATH];
    if (sscanf(strchr(claim, ':') + 2, "%1023s", path) != 1 || file_has_bytes(c, path)) return true;
    snprintf(why, size, "'checkpoint: %s' printed, but there is no such file", path);
    return false;
}

static const char *temporary_left(const Case *c) {
    static char name[256];
    DIR *dir = opendir(c->dir);
    if (dir == NULL) return NULL;
    const char *found = NULL;
    for (struct dirent *e; found == NULL && (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0) found = strncpy(name, e->d_name, sizeof name - 1);
    }
    closedir(dir);
    return found;
}

// The special files a case may make (tests/fuzz/fuzz_options.c) must still be what they
// were: an output path that is not a regular file is never replaced.
static bool special_file_replaced(const Case *c, char *why, size_t size) {
    static const struct { const char *name; mode_t type; const char *kind; } made[] = {
        {"dev_zero", S_IFCHR, "a device node"}, {"dev_null", S_IFCHR, "a device node"},
        {"dev_full", S_IFCHR, "a device node"}, {"fifo", S_IFIFO, "a FIFO"},
        {"dir", S_IFDIR, "a directory"},        {"link", S_IFLNK, "a symbolic link"},
    };
    for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
        char path[2 * FUZZ_PATH];
        snprintf(path, sizeof path, "%s/%s", c->dir, made[i].name);
        struct stat info;
        if (lstat(path, &info) != 0 || (info.st_mode & S_IFMT) == made[i].type) continue;
        snprintf(why, size, "%s, %s, was replaced by a regular file", made[i].name, made[i].kind);
        return true;
    }
    return false;
}

static const char *sanitizer_report(const char *err) {
    static const char *const marks[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                                        "WARNING: AddressSanitizer", "ERROR: UndefinedBehaviorSanitizer"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *at = strstr(err, marks[i]);
        if (at != NULL) return at;
    }
    return NULL;
}

// The first thing wrong with a run, in why; nothing when it behaved.
static void find_fault(const Case *c, int status, bool timed_out, const char *out, const char *err, char *why,
                       size_t size) {
    const char *report = sanitizer_report(err), *left = timed_out ? NULL : temporary_left(c);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (timed_out)
        snprintf(why, size, "no exit within the time limit (a hang?)");
    else if (report != NULL)
        snprintf(why, size, "sanitizer: %.200s", report);
    else if (WIFSIGNALED(status))
        snprintf(why, size, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (code > 2)
        snprintf(why, size, "exit status %d", code);
    else if (code != 0 && err[0] == '\0')
        snprintf(why, size, "exit status %d without a message", code);
    else if (left != NULL)
        snprintf(why, size, "a temporary file was left behind: %s", left);
    else if (!special_file_replaced(c, why, size) && code == 0 && judge_success(c, out, err, why, size))
        checkpoint_claim_holds(c, err, why, size);
}

Outcome judge_case(const Case *c, int status, bool timed_out, double seconds) {
    Outcome o = {.seconds = seconds, .exit_status = !timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1};
    char *out = read_output(c, "stdout"), *err = read_output(c, "stderr");
    find_fault(c, status, timed_out, out, err, o.why, sizeof o.why);
    o.failed = o.why[0] != '\0';
    free(out);
    free(err);
    return o;
}
