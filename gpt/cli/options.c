#include "gpt/cli/options.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void usage_error(const Command *command, const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "gpt %s: ", command->name);
    vfprintf(stderr, format, args);
    fprintf(stderr, " (see gpt %s --help)\n", command->name);
    va_end(args);
    exit(EXIT_USAGE);
}

_Noreturn void runtime_error(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "gpt: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(EXIT_FAILURE);
}

// A help text that names its own default ("(default: the preset's)") gets no other:
// the stored value may only mean "not given".
static void print_default(const Option *o) {
    if (strstr(o->help, "(default") != NULL) return;
    switch (o->type) {
    case OPTION_INT: printf(" (default %d)", *(int *)o->value); break;
    case OPTION_LONG: printf(" (default %ld)", *(long *)o->value); break;
    case OPTION_FLOAT: printf(" (default %g)", (double)*(float *)o->value); break;
    case OPTION_STRING:
        if (*(const char **)o->value != NULL) printf(" (default %s)", *(const char **)o->value);
        break;
    case OPTION_FLAG: break;
    }
}

static void print_help(const Command *command) {
    printf("usage: gpt %s\n\n%s\n\noptions:\n", command->usage, command->summary);
    for (const Option *o = command->options; o->name != NULL; o++) {
        const char *arg = o->type == OPTION_FLAG ? "" : o->type == OPTION_STRING ? " VALUE" : " N";
        printf("  --%s%s\n      %s", o->name, arg, o->help);
        print_default(o);
        printf("\n");
    }
    printf("  --help\n      show this help\n");
}

static void set_value(const Command *command, Option *o, const char *text) {
    char *end;
    errno = 0;
    switch (o->type) {
    case OPTION_INT:
    case OPTION_LONG: {
        long v = strtol(text, &end, 10);
        if (*text == '\0' || *end != '\0' || errno != 0 || (o->type == OPTION_INT && (v > INT_MAX || v < INT_MIN)))
            usage_error(command, "--%s expects an integer, got '%s'", o->name, text);
        if (o->type == OPTION_INT) *(int *)o->value = (int)v;
        else *(long *)o->value = v;
        break;
    }
    case OPTION_FLOAT: {
        float v = strtof(text, &end);
        if (*text == '\0' || *end != '\0' || errno != 0)
            usage_error(command, "--%s expects a number, got '%s'", o->name, text);
        // strtof reads "nan" and "inf" too; no option means anything by them, and a NaN
        // would pass every range check written as a comparison
        if (!isfinite(v)) usage_error(command, "--%s expects a finite number, got '%s'", o->name, text);
        *(float *)o->value = v;
        break;
    }
    case OPTION_STRING: *(const char **)o->value = text; break;
    case OPTION_FLAG: *(bool *)o->value = true; break;
    }
    o->given = true;
}

static Option *find_option(const Command *command, const char *name, size_t len) {
    for (Option *o = command->options; o->name != NULL; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
    return NULL;
}

void parse_options(const Command *command, int argc, char **argv) {
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help(command);
            exit(EXIT_SUCCESS);
        }
        if (strncmp(arg, "--", 2) != 0) usage_error(command, "unexpected argument '%s'", arg);
        const char *equals = strchr(arg, '=');
        size_t len = equals ? (size_t)(equals - arg - 2) : strlen(arg + 2);
        Option *o = find_option(command, arg + 2, len);
        if (o == NULL) usage_error(command, "unknown option '%.*s'", (int)len + 2, arg);
        if (o->type == OPTION_FLAG) {
            if (equals) usage_error(command, "--%s takes no value", o->name);
            set_value(command, o, "");
        } else if (equals) {
            set_value(command, o, equals + 1);
        } else {
            if (i + 1 >= argc) usage_error(command, "--%s needs a value", o->name);
            set_value(command, o, argv[++i]);
        }
    }
}

bool option_given(const Command *command, const char *name) {
    Option *o = find_option(command, name, strlen(name));
    return o != NULL && o->given;
}
