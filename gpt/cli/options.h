// Command-line options from one table per subcommand: the same table parses
// argv and prints --help, so the two cannot disagree.
#ifndef GPT1_CLI_OPTIONS_H
#define GPT1_CLI_OPTIONS_H

#include <stdbool.h>

typedef enum { OPTION_INT, OPTION_LONG, OPTION_FLOAT, OPTION_STRING, OPTION_FLAG } OptionType;

typedef struct Option {
    const char *name;  // "batch" for --batch
    OptionType type;
    void *value;       // int*, long*, float*, const char**, bool*
    const char *help;  // one line; the default is printed from *value unless it says "(default"
    bool given;        // set by parse_options
} Option;

typedef struct Command {
    const char *name;     // "pretrain"
    const char *summary;  // one line for `gpt --help`
    const char *usage;    // shown by --help above the options
    Option *options;      // terminated by an entry with name == NULL
} Command;

// Exit codes: bad input of any kind (flags, files, configs) exits with 2.
enum { EXIT_USAGE = 2 };

// Parses "--name value" and "--name=value"; --help prints the help and exits 0; a
// problem prints "gpt <command>: <what>" and exits with EXIT_USAGE.
void parse_options(const Command *command, int argc, char **argv);
// Whether --name was on the command line: tells "not given" (keep the preset) from any
// value, so that no value has to be set aside to mean "not given".
bool option_given(const Command *command, const char *name);
_Noreturn void usage_error(const Command *command, const char *format, ...);
_Noreturn void runtime_error(const char *format, ...);  // exit status 1

#endif
