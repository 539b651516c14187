// The commands: what each one's working command line is (on the seeds), and the hostile
// values its options get. The options themselves are read from the program's --help, so
// a new command or option is fuzzed as soon as it exists.
// mkfifo, mkdir and symlink are POSIX.
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

enum { MAX_COMMANDS = 32, MAX_OPTIONS = 48 };

typedef struct KnownOption {
    char name[40];      // "batch" for --batch
    bool takes_value;
} KnownOption;

typedef struct KnownCommand {
    char name[32];
    KnownOption options[MAX_OPTIONS];
    int n_options;
} KnownCommand;

static KnownCommand commands[MAX_COMMANDS];
static int n_commands;

// "  --name VALUE", "  --name N" or "  --name" lines of a command's --help.
static void read_options(KnownCommand *command, FILE *help) {
    char line[512];
    while (fgets(line, sizeof line, help) != NULL && command->n_options < MAX_OPTIONS) {
        char name[40];
        if (strncmp(line, "  --", 4) != 0 || sscanf(line + 4, "%39[a-z0-9-]", name) != 1 || strcmp(name, "help") == 0)
            continue;
        KnownOption *o = &command->options[command->n_options++];
        snprintf(o->name, sizeof o->name, "%s", name);
        o->takes_value = line[4 + strlen(name)] == ' ';
    }
}

bool learn_commands(const char *gpt, char *error, size_t error_len) {
    char shell[FUZZ_PATH + 64], line[512];
    snprintf(shell, sizeof shell, "%s --help", gpt);
    FILE *list = popen(shell, "r");
    if (list == NULL) {
        snprintf(error, error_len, "cannot run %s --help", gpt);
        return false;
    }
    while (fgets(line, sizeof line, list) != NULL && n_commands < MAX_COMMANDS)
        if (strncmp(line, "  ", 2) == 0 && sscanf(line + 2, "%31[a-z-]", commands[n_commands].name) == 1)
            n_commands++;
    pclose(list);
    for (int i = 0; i < n_commands; i++) {
        snprintf(shell, sizeof shell, "%s %s --help", gpt, commands[i].name);
        FILE *help = popen(shell, "r");
        if (help == NULL) continue;
        read_options(&commands[i], help);
        pclose(help);
    }
    if (n_commands < 5) snprintf(error, error_len, "%s --help lists %d commands", gpt, n_commands);
    return n_commands >= 5;
}

int fuzz_command_count(void) { return n_commands; }
const char *fuzz_command_name(int i) { return commands[i].name; }

static const KnownCommand *find_command(const char *name) {
    for (int i = 0; i < n_commands; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

bool fuzz_has_command(const char *name) { return find_command(name) != NULL; }

// --- The working command lines --------------------------------------------------------

static const char *const PREDICT_LINES[5] = {
    "the cat\na dog saw\n", "a cat sat\ta cat\nthe dog\ta cat\n", "a cat\tthe cat\n", "a dog\tthe mat\n",
    "the cat sat on the\tmat\tdog\n",
};

static void expect_out_file(Case *c, const char *path) { snprintf(c->expect.file, sizeof c->expect.file, "%s", path); }

static void language_model_command(Case *c, const Seeds *seeds, const char *command) {
    char args[4096];
    if (strcmp(command, "pretrain") == 0) {
        snprintf(args, sizeof args, "pretrain --data %s --preset nano --ctx 8 --steps 2 --batch 2 --sample-tokens 3 "
                 "--quiet --out %s", seeds->text, case_path(c, "out.ckpt"));
        c->expect.stderr_has = "checkpoint: |nothing trained";
    } else if (strcmp(command, "resume") == 0) {
        snprintf(args, sizeof args, "pretrain --data %s --resume %s --steps 3 --sample-tokens 3 --quiet --out %s",
                 seeds->text, seeds->lm, case_path(c, "out.ckpt"));
        c->expect.stderr_has = "checkpoint: |nothing trained";
    } else if (strcmp(command, "sample") == 0) {
        snprintf(args, sizeof args, "sample --ckpt %s --tokens 4 --prompt the", seeds->lm);
        c->expect.stdout_has = "";
    } else if (strcmp(command, "eval") == 0) {
        snprintf(args, sizeof args, "eval --ckpt %s --data %s", seeds->lm, seeds->text);
        c->expect.stdout_has = "loss: ";
    } else if (strcmp(command, "inspect") == 0) {
        snprintf(args, sizeof args, "inspect --ckpt %s", seeds->lm);
        c->expect.stdout_has = "parameters: ";
    } else if (strcmp(command, "attention") == 0) {
        snprintf(args, sizeof args, "attention --ckpt %s --text the --out %s", seeds->lm, case_path(c, "attn.svg"));
        expect_out_file(c, "attn.svg");
    } else {  // graph
        snprintf(args, sizeof args, "graph --ckpt %s --out %s", seeds->lm, case_path(c, "graph.dot"));
        expect_out_file(c, "graph.dot");
    }
    case_args(c, args);
}

static void task_command(Case *c, const Seeds *seeds, const char *command, int task) {
    char args[4096];
    if (strcmp(command, "finetune") == 0) {
        snprintf(args, sizeof args, "finetune --task %s %s --ckpt %s --train %s --epochs 1 --batch 2 --quiet --out %s",
                 seed_task_name(task), seed_task_flags(task), seeds->lm, seeds->task_data[task],
                 case_path(c, "tuned.ckpt"));
        c->expect.stderr_has = "fine-tuning: ";
        expect_out_file(c, "tuned.ckpt");
    } else if (strcmp(command, "eval-task") == 0) {
        snprintf(args, sizeof args, "eval --task %s --ckpt %s --data %s", seed_task_name(task), seeds->task_ckpt[task],
                 seeds->task_data[task]);
        c->expect.stdout_has = "accuracy: |pearson: ";
    } else {  // predict
        snprintf(args, sizeof args, "predict --ckpt %s", seeds->task_ckpt[task]);
        snprintf(c->stdin_path, sizeof c->stdin_path, "%s", case_path(c, "stdin.txt"));
        write_bytes(c->stdin_path, PREDICT_LINES[task], strlen(PREDICT_LINES[task]));
        int lines = 0;
        for (const char *p = PREDICT_LINES[task]; *p; p++) lines += *p == '\n';
        c->expect.stdout_lines = lines;
    }
    case_args(c, args);
}

void base_command(Case *c, const Seeds *seeds, const char *command, int task) {
    char args[4096];
    if (task < 0) task = pick(c, 5);
    static const char *const language[] = {"pretrain", "resume", "sample", "eval", "inspect", "attention", "graph"};
    for (size_t i = 0; i < sizeof language / sizeof *language; i++)
        if (strcmp(command, language[i]) == 0) {
            language_model_command(c, seeds, command);
            return;
        }
    if (strcmp(command, "finetune") == 0 || strcmp(command, "eval-task") == 0 || strcmp(command, "predict") == 0) {
        task_command(c, seeds, command, task);
        return;
    }
    if (strcmp(command, "bench") == 0) {
        case_args(c, "bench --preset nano --batch 1 --seq 8 --steps 1");
        c->expect.stdout_has = "bench: ";
    } else if (strcmp(command, "bpe-train") == 0) {
        snprintf(args, sizeof args, "bpe-train --data %s --merges 10 --quiet --out %s", seeds->text,
                 case_path(c, "vocab.bpe"));
        case_args(c, args);
        c->expect.stderr_has = "learned ";
        expect_out_file(c, "vocab.bpe");
    } else if (strcmp(command, "encode") == 0 || strcmp(command, "decode") == 0) {
        case_args(c, strcmp(command, "encode") == 0 ? "encode --tokenizer bytes --text" : "decode --tokenizer bytes --ids");
        case_arg(c, strcmp(command, "encode") == 0 ? "the cat" : "116 104 101");
        c->expect.stdout_has = "";
    } else if (strcmp(command, "zeroshot") == 0) {
        snprintf(args, sizeof args, "zeroshot --ckpt %s --task sentiment --data %s", seeds->lm, seeds->sentiment);
        case_args(c, args);
        c->expect.stdout_has = "accuracy: ";
    } else if (strcmp(command, "import") == 0 && seeds->importer) {
        snprintf(args, sizeof args, "import --from %s --out %s", seeds->hf, case_path(c, "imported.ckpt"));
        case_args(c, args);
        c->expect.stderr_has = "checkpoint: ";
        expect_out_file(c, "imported.ckpt");
    } else if (strcmp(command, "export") == 0) {
        snprintf(args, sizeof args, "export --ckpt %s --out %s", seeds->lm, case_path(c, "exported"));
        case_args(c, args);
        c->expect.stderr_has = "exported ";
    } else if (strcmp(command, "plot") == 0) {
        snprintf(args, sizeof args, "plot --log %s --out %s", seeds->log, case_path(c, "loss.svg"));
        case_args(c, args);
        expect_out_file(c, "loss.svg");
    } else {
        case_arg(c, command);  // a command this fuzzer has no working line for: its options still get fuzzed
    }
}

// --- Hostile values ------------------------------------------------------------------------

static const char *const NUMBERS[] = {
    "-2147483648", "-2147483649", "-1", "0", "1", "2", "3", "2147483647", "2147483648", "4294967296",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999",
    "1e3", "0x10", "010", " 5", "5 ", "", "nan", "inf", "-inf", "-0", "1.5", "3abc",
    "1e40", "-1e40", "1e-45", "0.99999", "--", "-",
};

static const char *const WORDS[] = {
    "", " ", "nano", "NANO", "huge", "classify", "entail", "similar", "choice", "none", "tsv", "sst2", "sick",
    "stsb", "mrpc", "storycloze", "auto", "relu", "gelu", "cosine", "linear", "constant", "add", "concat",
    "bytes", "chars", "bpe:", "bpe:/dev/zero", "bpe:/nonexistent", "\t", "\n", "the cat\tsat", "\xff\xfe", "%s%n%x",
    "--help", "-h",
};

// A small file of the wrong kind, copied into the case's directory: an output written
// over it must not change the seeds of the cases after.
static const char *copy_of(Case *c, const char *seed, const char *name) {
    size_t n;
    unsigned char *bytes = read_bytes(seed, &n);
    const char *path = case_path(c, name);
    if (bytes != NULL) write_bytes(path, bytes, n);
    free(bytes);
    return path;
}

// A device. As root, a node of the case's own (dev_zero, dev_null, dev_full in its
// directory): a program that wrongly writes over it (as root, a rename replaces even
// /dev/null) harms nothing else, and the verdict sees that it did. Otherwise the
// system's, which an unprivileged process cannot replace.
static const char *device(Case *c, int which) {
    static const char *const names[] = {"zero", "null", "full"}, *const devices[] = {"/dev/zero", "/dev/null", "/dev/full"};
    static const int minors[] = {5, 3, 7};
    char path[FUZZ_PATH], command[2 * FUZZ_PATH];
    if (geteuid() != 0) return devices[which];
    snprintf(path, sizeof path, "dev_%s", names[which]);
    const char *node = case_path(c, path);
    struct stat info;
    if (lstat(node, &info) == 0) return node;  // made for another option of this case
    snprintf(command, sizeof command, "mknod -m 666 %s c 1 %d", node, minors[which]);
    if (system(command) != 0) return "/nonexistent/device";  // root without the right to make devices
    return node;
}

// A path for an option that names a file: nothing, a device, a FIFO, a directory, a
// symbolic link, an empty name, a very long one, or a small file of the wrong kind.
static const char *hostile_path(Case *c, const Seeds *seeds) {
    switch (pick(c, 12)) {
    case 0: return "/nonexistent/dir/file";
    case 1: return device(c, 0);
    case 2: return device(c, 1);
    case 3: return device(c, 2);
    case 4: {
        const char *fifo = case_path(c, "fifo");
        mkfifo(fifo, 0600);
        return fifo;
    }
    case 5: {
        const char *dir = case_path(c, "dir");
        mkdir(dir, 0700);
        return dir;
    }
    case 6: {
        const char *link = case_path(c, "link");
        if (symlink("/dev/null", link) != 0) return "/nonexistent/link";
        return link;
    }
    case 7: return "";
    case 8: {
        static char longer[6000];
        memset(longer, 'a', sizeof longer - 1);
        longer[0] = '/';
        return longer;
    }
    case 9: return copy_of(c, seeds->text, "text_copy.txt");
    case 10: return copy_of(c, seeds->vocab, "vocab_copy.bpe");
    default: return copy_of(c, seeds->task_data[pick(c, 5)], "task_copy.tsv");
    }
}

// Each size just above its largest value (gpt/config.h): refused at once. (A value
// below a limit can be legitimately slow: --vocab 65537 trains a large embedding under
// the sanitizers, --sample-tokens 65537 is a long sample; neither is a hang.)
static const char *just_too_big(const char *option) {
    static const char *const sizes[][2] = {{"layers", "1025"}, {"d-model", "16385"}, {"heads", "16385"},
                                           {"d-ff", "65537"},  {"ctx", "65537"},     {"vocab", "4194305"}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (strcmp(option, sizes[i][0]) == 0) return sizes[i][1];
    return NULL;
}

static bool names_a_file(const char *option) {
    static const char *const file_options[] = {"data", "ckpt", "train", "dev", "log", "out", "predictions", "resume"};
    for (size_t i = 0; i < sizeof file_options / sizeof *file_options; i++)
        if (strcmp(option, file_options[i]) == 0) return true;
    return false;
}

void add_hostile_option(Case *c, const Seeds *seeds, const char *command) {
    if (strcmp(command, "eval-task") == 0) command = "eval";
    if (strcmp(command, "resume") == 0) command = "pretrain";
    const KnownCommand *known = find_command(command);
    if (known == NULL || known->n_options == 0 || chance(c, 0.03)) {
        const char *odd[] = {"--bogus", "-x", "stray", "--", "--=", "--help=1"};
        const char *arg = odd[pick(c, 6)];
        case_arg(c, arg);
        case_note(c, "argument '%s'", arg);
        return;
    }
    const KnownOption *o = &known->options[pick(c, known->n_options)];
    char flag[64];
    snprintf(flag, sizeof flag, "--%s", o->name);
    if (!o->takes_value || chance(c, 0.03)) {  // a flag, or an option left without its value at the end
        case_arg(c, flag);
        case_note(c, "%s%s", flag, o->takes_value ? " without a value" : "");
        return;
    }
    const char *value = names_a_file(o->name) && chance(c, 0.8) ? hostile_path(c, seeds)
                        : just_too_big(o->name) && chance(c, 0.3) ? just_too_big(o->name)
                        : chance(c, 0.6)                          ? NUMBERS[pick(c, sizeof NUMBERS / sizeof *NUMBERS)]
                                                                  : WORDS[pick(c, sizeof WORDS / sizeof *WORDS)];
    if (chance(c, 0.2)) {
        char joined[6100];
        snprintf(joined, sizeof joined, "%s=%s", flag, value);
        case_arg(c, joined);
    } else {
        case_arg(c, flag);
        case_arg(c, value);
    }
    case_note(c, "%s '%.60s'", flag, value);
}

void make_options_case(Case *c, const Seeds *seeds) {
    static const char *const lines[] = {"pretrain",  "resume",  "sample", "eval",      "eval-task", "inspect",
                                        "bench",     "bpe-train", "finetune", "predict", "plot",      "attention",
                                        "graph",     "encode",  "decode", "zeroshot",  "import",    "export"};
    int n_lines = sizeof lines / sizeof *lines;
    int choice = pick(c, n_lines + 1);
    const char *command = choice < n_lines ? lines[choice] : fuzz_command_name(pick(c, fuzz_command_count()));
    c->kind = "options";
    base_command(c, seeds, command, -1);
    case_note(c, "%s", command);
    int n = 1 + (chance(c, 0.3) ? 1 : 0);
    for (int i = 0; i < n; i++) add_hostile_option(c, seeds, command);
}
