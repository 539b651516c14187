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
#   tests/check_floors.sh --picture    print the floors, top first, each with the floors
#                                      its files really include (docs/architecture.md)
#   tests/check_floors.sh --check-doc  docs/architecture.md's picture is that output
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

# The floors, top first, each with the floors its files include, from the includes.
picture() {
    for dir in $(echo "$FLOORS" | tr ' ' '\n' | sed -n '1!G;h;$p'); do
        below=""
        for other in $FLOORS; do
            [ "$other" = "$dir" ] && continue
            if cat "$1/$dir"/*.c "$1/$dir"/*.h 2>/dev/null | grep -q "^#include \"$other/[^/]*\""; then
                below="$other${below:+ }$below"
            fi
        done
        printf '%-14s includes %s\n' "$dir" "${below:-libc only}"
    done
}

if [ "${1:-}" = "--picture" ]; then
    picture "${2:-.}"
    exit 0
fi
if [ "${1:-}" = "--check-doc" ]; then
    doc=${2:-.}/docs/architecture.md
    # The block after the line <!-- tests/check_floors.sh --picture -->, without its fences.
    awk '/<!-- tests\/check_floors.sh --picture -->/ { at = 1; next }
         at == 1 && /^```/ { at = 2; next }
         at == 2 && /^```/ { exit }
         at == 2 { print }' "$doc" > "${TMPDIR:-/tmp}/floors_doc.$$"
    if picture "${2:-.}" | diff "${TMPDIR:-/tmp}/floors_doc.$$" - >/dev/null; then
        rm -f "${TMPDIR:-/tmp}/floors_doc.$$"
        echo "floors: docs/architecture.md's picture is up to date"
        exit 0
    fi
    echo "error: docs/architecture.md's picture of the floors is stale; the includes say:"
    picture "${2:-.}" | diff "${TMPDIR:-/tmp}/floors_doc.$$" - 
    rm -f "${TMPDIR:-/tmp}/floors_doc.$$"
    echo "(paste the output of tests/check_floors.sh --picture under <!-- tests/check_floors.sh --picture -->)"
    exit 1
fi

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
    mkdir -p "$scratch/docs"
    printf '<!-- tests/check_floors.sh --picture -->\n```\ntensor         includes libc only\n```\n' > "$scratch/docs/architecture.md"
    if sh "$0" --check-doc "$scratch" >/dev/null; then
        echo "floors self-test: FAIL (a stale picture in docs/architecture.md passed)"
        exit 1
    fi
    echo "floors self-test: ok (an upward include, a missing file and a stale picture are caught)"
    exit 0
fi

if check "${1:-.}"; then
    echo "floors: ok (no file includes a floor above its own)"
else
    exit 1
fi
