#!/bin/sh
# Keeps every "Try this" prompt of the tutorial pages runnable, so that none can rot.
# Each bullet of the "## Try this" section of tutorials/NN_*.md must name how it is run:
#   - `make try T=NN V=NAME`, a variant that `make tutorials` runs: a line
#     "// Try: NAME FLAGS" in tutorials/NN_*.c, or a script tutorials/try/NN_NAME.sh;
#   - `make gdb-check`, for a prompt about gdb (tutorials/gdb/check.sh runs its commands);
#   - a link to docs/exercises.md, for an exercise (make exercises-check grades it).
# And every variant must be named by a prompt of its page.
#
#   tutorials/try/check_pages.sh [ROOT]       check the repository at ROOT (default .)
#   tutorials/try/check_pages.sh --self-test  prove that each kind of drift is caught
# Needs only sh, sed, grep and awk.
set -u

# Prints the bullets of a page's "Try this" section, one per line (continuations joined).
bullets() {
    awk '
        /^## Try this/ { inside = 1; next }
        inside && (/^## / || /^Next:/) { inside = 0 }
        !inside { next }
        /^- / { if (b != "") print b; b = $0; next }
        /^  / && b != "" { b = b " " $0; next }
        { if (b != "") print b; b = "" }
        END { if (b != "") print b }
    ' "$1"
}

# Prints the variant names of tutorial NN: its "// Try:" lines and its scripts.
variants() {
    root=$1 number=$2
    for source in "$root"/tutorials/"$number"_*.c; do
        [ -f "$source" ] && sed -n 's|^// Try: \([a-z0-9_]*\) .*|\1|p' "$source"
    done
    for script in "$root"/tutorials/try/"$number"_*.sh; do
        [ -f "$script" ] && basename "$script" .sh | sed "s|^${number}_||"
    done
}

check() {
    root=$1 problems=0 count=0
    for page in "$root"/tutorials/[0-9][0-9]_*.md; do
        [ -f "$page" ] || continue
        name=$(basename "$page")
        number=${name%%_*}
        known=$(variants "$root" "$number")
        named=
        bullets "$page" >"$scratch_list"
        while IFS= read -r bullet; do
            count=$((count + 1))
            runs=$(printf '%s\n' "$bullet" | grep -o "make try T=$number V=[a-z0-9_]*" | sed 's|.*V=||')
            for v in $runs; do
                if printf '%s\n' "$known" | grep -qx "$v"; then
                    named="$named $v"
                else
                    echo "try this: $name names \`make try T=$number V=$v\`, but tutorials/${number}_*.c has no" \
                         "'// Try: $v' line and there is no tutorials/try/${number}_$v.sh"
                    problems=$((problems + 1))
                fi
            done
            if [ -z "$runs" ] && ! printf '%s\n' "$bullet" | grep -q 'make gdb-check\|exercises\.md'; then
                echo "try this: $name: a prompt that nothing runs (give it a variant, \`make try T=$number V=...\`," \
                     "or say that make gdb-check or the exercises check it): $bullet"
                problems=$((problems + 1))
            fi
        done <"$scratch_list"
        for v in $known; do
            case " $named " in
                *" $v "*) ;;
                *) echo "try this: the variant $v of tutorial $number is named by no prompt of $name"
                   problems=$((problems + 1)) ;;
            esac
        done
    done
    if [ $problems -gt 0 ]; then
        echo "try this: $problems problem(s)"
        return 1
    fi
    echo "try this: $count prompts, each run by a variant, make gdb-check or make exercises-check"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
scratch_list=$scratch/bullets

self_test() {
    here=$(cd "$(dirname "$0")/../.." && pwd)
    copy() {
        rm -rf "$scratch/repo"
        mkdir -p "$scratch/repo"
        (cd "$here" && tar cf - tutorials/[0-9][0-9]_*.c tutorials/[0-9][0-9]_*.md tutorials/try) |
            (cd "$scratch/repo" && tar xf -)
    }
    expect_failure() {
        if check "$scratch/repo" >"$scratch/out" 2>&1; then
            echo "try this self-test: the check missed: $1"
            exit 1
        fi
    }
    copy
    check "$scratch/repo" >/dev/null || { echo "try this self-test: the unchanged copy fails"; exit 1; }
    printf '\n## Try this\n\n- Change something and see.\n' >>"$scratch/repo/tutorials/08_input_transformations.md"
    expect_failure "a prompt that nothing runs"
    copy
    sed -i 's|^// Try: summary |// Try: summarised |' "$scratch/repo/tutorials/01_tensors.c"
    expect_failure "a page naming a variant that does not exist (and a variant no page names)"
    copy
    printf '// Try: unnamed -DTRY_UNNAMED\n' >>"$scratch/repo/tutorials/02_autograd.c"
    expect_failure "a variant that no prompt names"
    echo "try this self-test: every kind of drift is caught"
}

if [ "${1:-}" = "--self-test" ]; then
    self_test
else
    check "${1:-.}"
fi
