#!/bin/sh
# Keeps the numbers of docs/labs.md true: a fenced block marked, on the line above its
# opening fence, with
#
#     <!-- output of labs/01_no_mask -->
#
# quotes that lab's output, and every line of it (leading spaces aside) must be a line of
# LABS_DIR/01_no_mask.out, in the same order. make labs-doc-check runs the labs of the
# MODE=exact build (no fused multiply-add) into those files first: their numbers are the
# same bits on every x86-64 machine, with gcc or clang.
#   tutorials/labs/check_doc.sh LABS_DIR [DOC]       (DOC: docs/labs.md)
#   tutorials/labs/check_doc.sh --self-test LABS_DIR
# Needs only sh and awk.
set -u

check() {
    dir=$1 doc=${2:-docs/labs.md}
    awk -v dir="$dir" -v doc="$doc" '
        function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
        # Whether the block lines 1..nb appear in order among the lines of the output.
        function check_block(    path, line, n, i, j) {
            path = dir "/" lab ".out"
            n = 0
            while ((getline line < path) > 0) out[++n] = trim(line)
            close(path)
            if (n == 0) { printf "labs doc: %s:%d: no output in %s (run the lab first)\n", doc, start, path; return 0 }
            j = 1
            for (i = 1; i <= nb; i++) {
                while (j <= n && out[j] != block[i]) j++
                if (j > n) {
                    printf "labs doc: %s:%d: the output of %s has no line \"%s\" (after the lines before it)\n",
                           doc, start + i, lab, block[i]
                    return 0
                }
                j++
            }
            return 1
        }
        /^<!-- output of labs\/[0-9A-Za-z_]+ -->$/ { lab = $4; sub(/^labs\//, "", lab); marked = FNR; next }
        marked && FNR == marked + 1 && /^```/ { inside = 1; nb = 0; start = FNR; marked = 0; next }
        { marked = 0 }
        inside && /^```/ { inside = 0; blocks++; bad += !check_block(); next }
        inside { if (trim($0) != "") block[++nb] = trim($0) }
        END {
            if (blocks == 0) { print "labs doc: " doc " quotes no lab output"; exit 1 }
            if (bad > 0) { print "labs doc: " bad " block(s) no longer what the labs print: rerun them and update " doc; exit 1 }
            print "labs doc: " blocks " quoted outputs of the labs are what they print"
        }
    ' "$doc"
}

if [ "${1:-}" = "--self-test" ]; then
    dir=$2
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    check "$dir" >/dev/null || { echo "labs doc self-test: docs/labs.md fails as it is"; exit 1; }
    # Change one digit of the first quoted number.
    awk '/^<!-- output of labs\// { armed = 1 } armed && /[0-9]\.[0-9]/ && !done { sub(/[0-9]\./, "9."); done = 1 } { print }' \
        docs/labs.md >"$scratch/labs.md"
    if check "$dir" "$scratch/labs.md" >/dev/null; then
        echo "labs doc self-test: a changed number was not caught"
        exit 1
    fi
    echo "labs doc self-test: a number that is not the program's is caught"
    exit 0
fi
check "$@"
