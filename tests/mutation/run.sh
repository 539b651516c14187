#!/bin/sh
# The mutation stage: plants each mistake of tests/mutation/mutants.txt, one at a time,
# in a scratch copy of the repository, rebuilds, and runs `make check`. A mutant is
# killed when make check fails. The stage fails when any mutant survives (the tests
# missed a plausible bug), does not compile (the list asks for an impossible edit), or
# names a text that is not in its file exactly once (the list is out of date).
#
#   tests/mutation/run.sh [-j JOBS] [NAME-PATTERN]   run every mutant (or those whose
#                                                     name matches the grep pattern)
#   tests/mutation/run.sh --self-test                 prove a surviving mutant fails the stage
#
# The format of mutants.txt: blocks of "key: value" lines, each block starting with
# `mutant:` (a short name), then `file:`, `find:` (an exact text of one line, which
# must occur exactly once in the file), `replace:` (what it becomes) and `why:` (why it
# is a plausible mistake). Lines starting with # are comments.
# Needs sh, awk, perl (part of every Debian), make and the compiler.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
jobs=2
list="$here/tests/mutation/mutants.txt"
pattern=""
self_test=0
run_one_line=""
while [ $# -gt 0 ]; do
    case "$1" in
        --one) shift; run_one_line=$1; shift ;;
        -j) jobs=$2; shift 2 ;;
        --self-test) self_test=1; shift ;;
        --list) list=$2; shift 2 ;;
        *) pattern=$1; shift ;;
    esac
done

# One mutant per line: name <TAB> file <TAB> find <TAB> replace.
parse() {
    awk '
        function flush() {
            if (name != "") {
                if (file == "" || find == "" || !have_replace) { printf "error: mutant \"%s\" lacks file, find or replace\n", name > "/dev/stderr"; bad = 1 }
                else printf "%s\t%s\t%s\t%s\n", name, file, find, replace
            }
            name = file = find = replace = ""; have_replace = 0
        }
        /^#/ || /^[ \t]*$/ { next }
        /^mutant: / { flush(); name = substr($0, 9); next }
        /^file: / { file = substr($0, 7); next }
        /^find: / { find = substr($0, 7); next }
        /^replace:/ { replace = substr($0, 10); have_replace = 1; next }
        /^why: / { next }
        { printf "error: %s:%d: not a key: value line: %s\n", FILENAME, FNR, $0 > "/dev/stderr"; bad = 1 }
        END { flush(); exit bad }
    ' "$1"
}

# make check fails when any suite of the test binary fails, so the suites run one at a
# time, in tests/main.c's order, and the first failure settles it: most mutants die in
# the first suites. Only a mutant that passes them all runs the whole of make check.
killed_by_a_suite() {
    for suite in $(sed -n 's/.*srunner_.*[( ]\([a-z0-9_]*\)_suite().*/\1/p' "$1/tests/main.c"); do
        (cd "$1" && CK_RUN_SUITE=$suite CK_VERBOSITY=silent timeout 600 build/tests/run_tests >/dev/null 2>&1) || return 0
    done
    return 1
}

# Runs one mutant line in a copy of $base; prints one result line.
run_one() {
    name=$(printf '%s' "$1" | cut -f1) file=$(printf '%s' "$1" | cut -f2)
    FIND=$(printf '%s' "$1" | cut -f3) REPLACE=$(printf '%s' "$1" | cut -f4)
    export FIND REPLACE
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/gpt1c_mutant.XXXXXX")
    cp -a "$base/." "$scratch/"
    count=$(perl -0777 -ne 'BEGIN { $n = 0 } $n++ while /\Q$ENV{FIND}\E/g; END { print $n }' "$scratch/$file" 2>/dev/null)
    if [ "$count" != 1 ]; then
        echo "STALE    $name: the text is in $file ${count:-0} times, not once"
        rm -rf "$scratch"; return
    fi
    perl -pi -e 's/\Q$ENV{FIND}\E/$ENV{REPLACE}/' "$scratch/$file"
    if ! (cd "$scratch" && make -s -j1 build/tests/run_tests build/gpt >/dev/null 2>&1); then
        echo "NOBUILD  $name: the mutant does not compile"
    elif killed_by_a_suite "$scratch"; then
        echo "killed   $name"
    elif (cd "$scratch" && CK_VERBOSITY=silent timeout 900 make -s check >/dev/null 2>&1); then
        echo "SURVIVED $name ($file: '$FIND' -> '$REPLACE')"
    else
        echo "killed   $name"
    fi
    rm -rf "$scratch"
}

stage() {
    parse "$list" > "$work/mutants.tsv" || exit 1
    [ -n "$pattern" ] && { grep -e "$pattern" "$work/mutants.tsv" > "$work/selected.tsv" || true; mv "$work/selected.tsv" "$work/mutants.tsv"; }
    total=$(wc -l < "$work/mutants.tsv")
    echo "mutation: $total mutants, $jobs at a time; building the unmutated copy"
    base="$work/base"
    mkdir -p "$base"
    (cd "$here" && git ls-files -z -co --exclude-standard | tar cf - --null -T -) | (cd "$base" && tar xf -)
    if ! (cd "$base" && make -s -j"$jobs" build/tests/run_tests build/gpt >/dev/null 2>&1 && make -s check >/dev/null 2>&1); then
        echo "mutation: the unmutated copy does not pass make check"; exit 1
    fi
    export base
    GPT_THREADS=1; export GPT_THREADS  # the jobs share the cores among themselves
    # xargs runs one copy of this script per mutant, $jobs at a time.
    xargs -d '\n' -P "$jobs" -n 1 sh "$0" --one < "$work/mutants.tsv" > "$work/results"
    cat "$work/results"
    killed=$(grep -c '^killed' "$work/results")
    echo "mutation score: $killed of $total killed"
    [ "$killed" -eq "$total" ]
}

if [ -n "$run_one_line" ]; then
    run_one "$run_one_line"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/gpt1c_mutation.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ "$self_test" = 1 ]; then
    # A mutant that changes nothing the tests can see (a comment) must survive, so the
    # stage must fail; the stage runs against a one-mutant list.
    printf 'mutant: a harmless comment edit\nfile: gpt/sgd.c\nfind: // Eq: θ ← θ − η·∇θ L\nreplace: // Eq: θ ← θ − η·∇θ L (unchanged)\nwhy: the self-test\n' > "$work/harmless.txt"
    list="$work/harmless.txt"
    if stage > "$work/self.log"; then
        cat "$work/self.log"; echo "mutation self-test: FAIL (a surviving mutant passed the stage)"; exit 1
    fi
    grep -q '^SURVIVED' "$work/self.log" || { cat "$work/self.log"; echo "mutation self-test: FAIL (no SURVIVED line)"; exit 1; }
    echo "mutation self-test: ok (a surviving mutant fails the stage)"
    exit 0
fi
stage
