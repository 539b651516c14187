#!/bin/sh
# Keeps docs/equations.md and the code in step. Three rules:
#   1. every `file.c:function` reference in the map names a function that file defines;
#   2. every function whose comment carries the tag "// Eq:" is referenced in the map;
#   3. every row of the map's "At a glance" table says where its equation comes from, in
#      the words of the map's legend (the paper's (n), § or Figure, Vaswani et al., spec),
#      never "seed", which in this codebase is the random seed.
# The tag is a comment line at column 0 that starts with "// Eq:", in the comment block
# directly above a function definition of tensor/, autograd/, nn/, gpt/ or tutorials/labs/
# (a lab's variant of an equation, such as the specification's multiplied mask).
#
#   tests/check_equation_map.sh [ROOT]     check the repository at ROOT (default .)
#   tests/check_equation_map.sh --self-test   prove that both rules can fail
# Needs only sh, grep, sed and awk.
set -u

# Prints "file.c:function" for every tagged function of the .c files given, and an
# "error:" line for a tag that is not directly above a function definition.
tagged_functions() {
    awk '
        /^[ \t]+\/\/ Eq:/ { printf "error: %s:%d: an // Eq: tag must start at column 0, above a function\n", FILENAME, FNR; next }
        /^\/\/ Eq:/ { tag_line = FNR; next }
        tag_line && /^\/\// { next }
        tag_line {
            if ($0 ~ /^[A-Za-z_]/ && match($0, /[A-Za-z_][A-Za-z0-9_]*\(/))
                print FILENAME ":" substr($0, RSTART, RLENGTH - 1)
            else
                printf "error: %s:%d: the // Eq: tag is not directly above a function definition\n", FILENAME, tag_line
            tag_line = 0
        }
    ' "$@"
}

# Succeeds when FILE defines FUNCTION: a line at column 0 naming it before "(", whose
# declaration reaches "{" before ";" (a prototype ends with ";").
defines_function() {
    awk -v name="$2" '
        !open && $0 ~ "^[A-Za-z_][^;=(]*[ *]" name "\\(" { open = 1 }
        open && /\{/ { found = 1; exit }
        open && /;/ { open = 0 }
        END { exit found ? 0 : 1 }
    ' "$1"
}

check() {
    root=$1
    map=$root/docs/equations.md
    if [ ! -f "$map" ]; then
        echo "equation map: $map is missing"
        return 1
    fi
    errors=0
    # rule 1: the map's references exist
    refs=$(grep -o '`[A-Za-z0-9_/]*\.c:[A-Za-z_][A-Za-z0-9_]*`' "$map" | tr -d '`' | sort -u)
    if [ -z "$refs" ]; then
        echo "equation map: $map references no \`file.c:function\` at all"
        return 1
    fi
    for ref in $refs; do
        file=${ref%%:*}
        function=${ref#*:}
        if [ ! -f "$root/$file" ]; then
            echo "equation map: docs/equations.md names \`$ref\`, but there is no file $file"
            errors=$((errors + 1))
        elif ! defines_function "$root/$file" "$function"; then
            echo "equation map: docs/equations.md names \`$ref\`, but $file defines no function $function" \
                 "(renamed or moved? update the map)"
            errors=$((errors + 1))
        fi
    done
    # rule 2: the tagged functions are in the map
    sources=$(cd "$root" && ls tensor/*.c autograd/*.c nn/*.c gpt/*.c gpt/*/*.c tutorials/labs/*.c 2>/dev/null)
    tagged=$(cd "$root" && tagged_functions $sources)
    count=0
    for entry in $(echo "$tagged" | grep -v '^error:'); do
        count=$((count + 1))
        if ! grep -q "\`$entry\`" "$map"; then
            echo "equation map: $entry carries an // Eq: tag, but docs/equations.md has no \`$entry\`" \
                 "(add it to the map, or drop the tag)"
            errors=$((errors + 1))
        fi
    done
    # rule 3: the "where" column of the table under "## At a glance"
    sources=$(awk '
        /^## At a glance/ { inside = 1; next }
        inside && /^## / { inside = 0 }
        inside && /^\| / && !/^\| equation/ && !/^\|---/ {
            n = split($0, cell, " \\| ")
            where = cell[2]
            if (where ~ /seed/ || where !~ /\(|§|Figure|Vaswani|spec|everywhere|inside/) print where
        }
    ' "$map")
    if [ -n "$sources" ]; then
        printf '%s\n' "$sources" | while read -r where; do
            echo "equation map: the where column says '$where': name the paper's (n), § or Figure," \
                 "Vaswani et al., or spec (the project's specification)"
        done
        errors=$((errors + $(printf '%s\n' "$sources" | wc -l)))
    fi
    tag_errors=$(echo "$tagged" | grep '^error:')
    if [ -n "$tag_errors" ]; then
        echo "$tag_errors" | sed 's/^error: /equation map: /'
        errors=$((errors + $(echo "$tag_errors" | wc -l)))
    fi
    if [ "$errors" -gt 0 ]; then
        echo "equation map: $errors problem(s)"
        return 1
    fi
    echo "equation map: $(echo "$refs" | wc -l) references and $count tagged functions agree"
}

# Copies the repository's sources and map into a scratch directory, breaks them in
# each way the check must notice, and fails if the check does not.
self_test() {
    here=$(cd "$(dirname "$0")/.." && pwd)
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    copy() {
        rm -rf "$scratch/repo"
        mkdir -p "$scratch/repo"
        (cd "$here" && tar cf - docs/equations.md tensor autograd nn gpt tutorials/labs) | (cd "$scratch/repo" && tar xf -)
    }
    expect_failure() {
        if check "$scratch/repo" >"$scratch/out" 2>&1; then
            echo "equation map self-test: the check missed: $1"
            exit 1
        fi
    }
    copy
    check "$scratch/repo" >/dev/null || { echo "equation map self-test: the unchanged copy fails"; exit 1; }
    sed -i 's/^Tensor \*embed(/Tensor *embed_tokens(/' "$scratch/repo/nn/embedding.c"
    expect_failure "a function of the map renamed in the code"
    copy
    printf '\n// Eq: y = 2x\nint doubled(int x) { return 2 * x; }\n' >>"$scratch/repo/nn/linear.c"
    expect_failure "a tagged function missing from the map"
    copy
    printf '\n// Eq: y = 2x\nint doubled(int x) { return 2 * x; }\n' >>"$scratch/repo/tutorials/labs/variant.c"
    expect_failure "a tagged function of a lab missing from the map"
    copy
    printf '\n// Eq: y = 2x\n\nint doubled(int x) { return 2 * x; }\n' >>"$scratch/repo/nn/linear.c"
    expect_failure "a tag separated from its function"
    copy
    printf '\n`nn/linear.c:no_such_function`\n' >>"$scratch/repo/docs/equations.md"
    expect_failure "a map reference to a function that does not exist"
    copy
    sed -i 's/| spec (the paper used Adam) |/| seed |/' "$scratch/repo/docs/equations.md"
    expect_failure "a where column that says seed"
    echo "equation map self-test: every kind of mismatch is caught"
}

if [ "${1:-}" = "--self-test" ]; then
    self_test
else
    check "${1:-.}"
fi
