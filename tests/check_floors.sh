#!/bin/sh
# Keeps the floors of the code honest: a file may include files of its own floor and of
# the floors below it, never of a floor above. From the bottom up:
#
#   tensor  autograd  nn  gpt/io  gpt/tokenizer  gpt/tasks  gpt  gpt/pictures  gpt/cli
#
# (gpt itself is the paper: the model, training, checkpoints, fine-tuning.) Every
# #include "..." of a project header must also name a file that exists.
#
#   tests/check_floors.sh [ROOT]       check the repository at ROOT (default .)
#   tests/check_floors.sh --self-test  prove that an upward include is caught
# Needs only sh, grep and sed.
set -u

FLOORS="tensor autograd nn gpt/io gpt/tokenizer gpt/tasks gpt gpt/pictures gpt/cli"

# The floor number of a directory, or nothing when it is not one of the floors.
floor_of() {
    n=0
    for f in $FLOORS; do
        n=$((n + 1))
        [ "$f" = "$1" ] && { echo "$n"; return; }
    done
}

check() {
    root=$1 failures=0
    for dir in $FLOORS; do
        own=$(floor_of "$dir")
        for file in "$root/$dir"/*.c "$root/$dir"/*.h; do
            [ -f "$file" ] || continue
            for included in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file"); do
                if [ ! -f "$root/$included" ]; then
                    echo "error: ${file#"$root"/} includes \"$included\", which does not exist"
                    failures=$((failures + 1))
                    continue
                fi
                target=$(floor_of "$(dirname "$included")")
                [ -n "$target" ] || continue
                if [ "$target" -gt "$own" ]; then
                    echo "error: ${file#"$root"/} (floor $dir) includes \"$included\", a floor above it"
                    failures=$((failures + 1))
                fi
            done
        done
    done
    return "$failures"
}

if [ "${1:-}" = "--self-test" ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$scratch/tensor" "$scratch/gpt/cli"
    echo '#include "gpt/cli/commands.h"' > "$scratch/tensor/upward.c"
    echo '' > "$scratch/gpt/cli/commands.h"
    if check "$scratch" >/dev/null; then
        echo "floors self-test: FAIL (an include from tensor/ into gpt/cli/ passed)"
        exit 1
    fi
    echo '#include "gpt/missing.h"' > "$scratch/tensor/upward.c"
    if check "$scratch" >/dev/null; then
        echo "floors self-test: FAIL (an include of a missing file passed)"
        exit 1
    fi
    echo "floors self-test: ok (an upward include and a missing file are both caught)"
    exit 0
fi

if check "${1:-.}"; then
    echo "floors: ok (no file includes a floor above its own)"
else
    exit 1
fi
