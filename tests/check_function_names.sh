#!/bin/sh
# Keeps every function name of the project unique, so that `break NAME` in gdb stops in
# one place and a backtrace names one function. It lists the function definitions of
# every .c and .h file (a line at column 0 naming the function before "(", after its
# type or below a line holding only the type, whose declaration reaches "{" before ";";
# and every Check test START_TEST(NAME)) and fails on a name defined twice, static or
# not. Two kinds of repetition are by design:
#   - main, once per program;
#   - an exercise (tutorials/exercises/NN_*.c), and each known wrong solution of one
#     (tutorials/exercises/wrong/NN_*.c), defines again the library functions that its
#     "// Replaces:" line names: the student's version replaces the library's.
#
#   tests/check_function_names.sh [ROOT]       check the repository at ROOT (default .)
#   tests/check_function_names.sh --self-test  prove that a duplicate is caught
# Needs only sh, find, sort and awk.
set -u

FOLDERS="tensor autograd nn gpt tests tutorials"

# Prints "NAME FILE:LINE" for every function defined in the files given.
definitions() {
    awk '
        FNR == 1 { open = 0; type_line = 0 }
        /^START_TEST\([A-Za-z_][A-Za-z0-9_]*\)/ {
            match($0, /\([A-Za-z_][A-Za-z0-9_]*\)/)
            print substr($0, RSTART + 1, RLENGTH - 2), FILENAME ":" FNR
            next
        }
        !open && (/^[A-Za-z_][^;=(]*[ *][A-Za-z_][A-Za-z0-9_]*\(/ || (type_line && /^[A-Za-z_][A-Za-z0-9_]*\(/)) &&
                !/^(typedef|return|extern) / {
            match($0, /[A-Za-z_][A-Za-z0-9_]*\(/)
            name = substr($0, RSTART, RLENGTH - 1)
            where = FILENAME ":" FNR
            open = 1
        }
        { type_line = /^[A-Za-z_][A-Za-z0-9_ *]*$/ && !/^(typedef|return|extern|struct|enum|union)( |$)/ }
        open && /\{/ { print name, where; open = 0; next }
        open && /;/ { open = 0 }
    ' "$@"
}

# Prints "NAME FILE" for the functions each exercise replaces in its own file.
replaced_by_exercises() {
    for exercise in "$@"; do
        sed -n 's|^// Replaces: [^ ]* ||p' "$exercise" | tr ' ' '\n' | sed -n "s|^\([A-Za-z_][A-Za-z0-9_]*\)\$|\1 $exercise|p"
    done
}

check() {
    root=$1
    files=$(cd "$root" && find $FOLDERS \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
    if [ -z "$files" ]; then
        echo "function names: no .c or .h files under $root"
        return 1
    fi
    exercises=$(cd "$root" && ls tutorials/exercises/[0-9][0-9]_*.c tutorials/exercises/wrong/[0-9][0-9]_*.c 2>/dev/null)
    all=$(cd "$root" && definitions $files)
    allowed=$(cd "$root" && replaced_by_exercises $exercises)
    duplicates=$(printf '%s\n' "$all" | ALLOWED=$allowed awk '
        BEGIN {
            n = split(ENVIRON["ALLOWED"], lines, "\n")
            for (i = 1; i <= n; i++) if (lines[i] != "") { split(lines[i], f, " "); by_design[f[1] " " f[2]] = 1 }
        }
        {
            name = $1; file = $2; sub(/:[0-9]+$/, "", file)
            if (name == "main" || ((name " " file) in by_design)) next
            count[name]++
            places[name] = places[name] " " $2
        }
        END { for (name in count) if (count[name] > 1) print name ":" places[name] }
    ' | sort)
    if [ -n "$duplicates" ]; then
        printf '%s\n' "$duplicates" | while read -r line; do
            echo "function names: ${line%%:*} is defined more than once:${line#*:}" \
                 "(rename all but one: \`break ${line%%:*}\` would stop in each)"
        done
        echo "function names: $(printf '%s\n' "$duplicates" | wc -l) name(s) defined more than once"
        return 1
    fi
    echo "function names: $(printf '%s\n' "$all" | wc -l) definitions in $(echo "$files" | wc -l) files, no name twice"
}

# Copies the repository's sources into a scratch directory, adds a duplicate in each
# way the check must notice, and fails if the check does not.
self_test() {
    here=$(cd "$(dirname "$0")/.." && pwd)
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    copy() {
        rm -rf "$scratch/repo"
        mkdir -p "$scratch/repo"
        (cd "$here" && tar cf - $FOLDERS) | (cd "$scratch/repo" && tar xf -)
    }
    expect_failure() {
        if check "$scratch/repo" >"$scratch/out" 2>&1; then
            echo "function names self-test: the check missed: $1"
            exit 1
        fi
        if ! grep -q "$2 is defined more than once" "$scratch/out"; then
            echo "function names self-test: the check did not name $2 for: $1"
            cat "$scratch/out"
            exit 1
        fi
    }
    copy
    check "$scratch/repo" >/dev/null || { echo "function names self-test: the unchanged copy fails"; exit 1; }
    printf '\nstatic int twice(int x) { return 2 * x; }\n' >>"$scratch/repo/nn/linear.c"
    printf '\nint twice(int x)\n{\n    return x << 1;\n}\n' >>"$scratch/repo/gpt/sgd.c"
    expect_failure "two functions of one name in two files, one static" twice
    copy
    printf '\nstatic int thrice(int x) { return 3 * x; }\n' >>"$scratch/repo/nn/linear.c"
    printf '\nstatic int\nthrice(int x) {\n    return x + x + x;\n}\n' >>"$scratch/repo/tensor/reduce.c"
    expect_failure "a definition with its type on the line above" thrice
    copy
    printf '\nstatic double clamp_unit(double v);\nstatic double clamp_unit(double v) { return v; }\n' \
        >>"$scratch/repo/nn/linear.c"
    check "$scratch/repo" >/dev/null || { echo "function names self-test: a prototype counted as a definition"; exit 1; }
    printf '\nstatic double clamp_unit(double v) { return v; }\n' >>"$scratch/repo/tests/helpers.c"
    expect_failure "a test helper named like a library function" clamp_unit
    copy
    printf '\nSTART_TEST(test_twice) {\n}\nEND_TEST\n' >>"$scratch/repo/tests/test_ops.c"
    printf '\nSTART_TEST(test_twice) {\n}\nEND_TEST\n' >>"$scratch/repo/tests/test_nn.c"
    expect_failure "two Check tests of one name" test_twice
    copy
    exercise=$(ls "$scratch"/repo/tutorials/exercises/[0-9][0-9]_*.c | head -n 1)
    printf '\nint softmax_forward_again(void) { return 0; }\n' >>"$exercise"
    printf '\nint softmax_forward_again(void) { return 1; }\n' >>"$scratch/repo/tensor/softmax.c"
    expect_failure "an exercise defining a library function its Replaces line does not name" softmax_forward_again
    copy
    wrong=$(ls "$scratch"/repo/tutorials/exercises/wrong/[0-9][0-9]_*.c | head -n 1)
    printf '\nstatic int helper_of_a_wrong_one(void) { return 0; }\n' >>"$wrong"
    printf '\nstatic int helper_of_a_wrong_one(void) { return 1; }\n' >>"$scratch/repo/nn/linear.c"
    expect_failure "a wrong solution defining a function its Replaces line does not name" helper_of_a_wrong_one
    echo "function names self-test: every kind of duplicate is caught, prototypes, exercises and wrong solutions are not"
}

if [ "${1:-}" = "--self-test" ]; then
    self_test
else
    check "${1:-.}"
fi
