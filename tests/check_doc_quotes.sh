#!/bin/sh
# Keeps the code that the documents quote true. A fenced code block in a .md file that
# is marked, on the line just above its opening fence, with
#
#     <!-- quoted from gpt/pretrain.c -->
#
# must appear in that file: its lines, in order, as consecutive lines of the file. A
# block line that is only "..." (indented or not) stands for lines left out: the lines
# after it continue further down the file.
#
#   tests/check_doc_quotes.sh [ROOT]      check README.md, docs/ and tutorials/ at ROOT
#   tests/check_doc_quotes.sh --self-test prove that a stale quote is caught
# Needs only sh and awk.
set -u

# Checks one markdown file; prints one "error:" line per stale quote, and the count of
# quotes checked as "quotes N" on the last line.
check_markdown() {
    awk -v root="$1" '
        function load(path,    line, n) {
            n = 0
            delete source
            while ((getline line < path) > 0) source[++n] = line
            close(path)
            return n
        }
        # Whether block lines 1..nb appear in order in the source, each run after a
        # "..." starting anywhere further down.
        function found(nb, ns,    start, i, j, k, gap) {
            for (start = 1; start <= ns; start++) {
                if (source[start] != block[1]) continue
                j = start; gap = 0
                for (i = 1; i <= nb; i++) {
                    if (block[i] ~ /^[ \t]*\.\.\.[ \t]*$/) { gap = 1; continue }
                    if (gap) {
                        for (k = j; k <= ns && source[k] != block[i]; k++);
                        if (k > ns) break
                        j = k; gap = 0
                    } else if (j > ns || source[j] != block[i]) break
                    j++
                }
                if (i > nb) return 1
            }
            return 0
        }
        /^<!-- quoted from [^ ]+ -->$/ { pending = $4; pending_line = FNR; next }
        pending != "" && /^```/ && !inside { inside = 1; nb = 0; next }
        inside && /^```/ {
            inside = 0; quotes++
            ns = load(root "/" pending)
            if (ns == 0) printf "error: %s:%d: quotes %s, which is missing or empty\n", FILENAME, pending_line, pending
            else if (nb == 0 || !found(nb, ns))
                printf "error: %s:%d: the block quoted from %s is not in that file (first line: %s)\n", FILENAME, pending_line, pending, block[1]
            pending = ""
            next
        }
        inside { block[++nb] = $0; next }
        { pending = "" }
        END { print "quotes " quotes + 0 }
    ' "$2"
}

check() {
    root=$1 total=0 failures=0
    for file in "$root"/README.md "$root"/docs/*.md "$root"/tutorials/*.md; do
        [ -f "$file" ] || continue
        out=$(check_markdown "$root" "$file")
        errors=$(printf '%s\n' "$out" | grep '^error:')
        [ -n "$errors" ] && { printf '%s\n' "$errors"; failures=$((failures + $(printf '%s\n' "$errors" | wc -l))); }
        total=$((total + $(printf '%s\n' "$out" | sed -n 's/^quotes //p')))
    done
    [ "$failures" -eq 0 ] || return 1
    echo "doc quotes: $total quoted blocks match their files"
}

if [ "${1:-}" = "--self-test" ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$scratch/docs" "$scratch/src"
    printf 'int twice(int x) {\n    int y = x;\n    y += x;\n    return y;\n}\n' > "$scratch/src/twice.c"
    printf '<!-- quoted from src/twice.c -->\n```c\nint twice(int x) {\n    ...\n    return y;\n}\n```\n' > "$scratch/docs/good.md"
    check "$scratch" >/dev/null || { echo "doc quotes self-test: FAIL (a true quote was refused)"; exit 1; }
    printf '<!-- quoted from src/twice.c -->\n```c\nint twice(int x) {\n    return 2 * x;\n}\n```\n' > "$scratch/docs/stale.md"
    check "$scratch" >/dev/null && { echo "doc quotes self-test: FAIL (a stale quote passed)"; exit 1; }
    rm "$scratch/docs/stale.md"
    printf '<!-- quoted from src/gone.c -->\n```c\nint twice(int x) {\n```\n' > "$scratch/docs/gone.md"
    check "$scratch" >/dev/null && { echo "doc quotes self-test: FAIL (a quote of a missing file passed)"; exit 1; }
    echo "doc quotes self-test: ok (a stale quote and a missing file are caught, an elided one is not)"
    exit 0
fi

check "${1:-.}"
