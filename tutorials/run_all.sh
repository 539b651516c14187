#!/bin/sh
# Runs every tutorial, lab and "Try this" variant given, each of which checks the
# claims of its page and exits non-zero when one no longer holds. All of them run,
# whatever fails; the status is non-zero when any did. Each one's output goes to
# <program>.out (a script's to $BUILD/try/<script>.out); a failing one's is shown.
#   BUILD=build tutorials/run_all.sh [--show] PROGRAM_OR_SCRIPT...
# A program of $BUILD/try/ is a variant: its "// Try:" line in the tutorial's .c may
# say "stops: TEXT", and then it must stop (non-zero) with TEXT in its output. A
# script (tutorials/try/NN_name.sh) runs with sh and gets $BUILD as its argument.
# --show prints every output, not only a failing one's. --self-test proves that a
# failure does not stop the programs after it.
set -u
build=${BUILD:-build}
if [ "${1:-}" = --self-test ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    printf 'echo "  NOT TRUE  planted"; exit 1\n' >"$scratch/a_fails.sh"
    printf 'echo "  ok  after it"\n' >"$scratch/b_holds.sh"
    if BUILD=$scratch sh "$0" "$scratch/a_fails.sh" "$scratch/b_holds.sh" >"$scratch/out" 2>&1; then
        echo "run_all self-test: a failing program gave status 0"
        exit 1
    fi
    if ! grep -q "ok  after it" "$scratch/try/b_holds.out" 2>/dev/null; then
        echo "run_all self-test: the program after a failing one did not run"
        exit 1
    fi
    echo "run_all self-test: every program runs, whatever fails before it, and a failure sets the status"
    exit 0
fi
show=false
if [ "${1:-}" = --show ]; then
    show=true
    shift
fi
failed=0
for program in "$@"; do
    case $program in
        *.sh) out=$build/try/$(basename "$program" .sh).out ;;
        *) out=$program.out ;;
    esac
    mkdir -p "$(dirname "$out")"
    stops=
    case $program in
        *.sh) ;;
        */try/*.*)
            name=$(basename "$program")
            stops=$(sed -n "s|^// Try: ${name#*.} .* stops: ||p" "tutorials/${name%%.*}.c") ;;
    esac
    start=$(date +%s%N)
    case $program in
        *.sh) sh "$program" "$build" >"$out" 2>&1 ;;
        *) "$program" >"$out" 2>&1 ;;
    esac
    code=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ -n "$stops" ]; then
        if [ $code -ne 0 ] && grep -qF -- "$stops" "$out"; then result=ok; else result=FAILED; fi
    elif [ $code -eq 0 ]; then
        result=ok
    else
        result=FAILED
    fi
    printf '%-6s %-46s %3d.%d s\n' "$result" "$program" $((ms / 1000)) $((ms % 1000 / 100))
    if [ $result = FAILED ] || $show; then
        cat "$out"
        [ -n "$stops" ] && echo "(this variant must stop with: $stops)"
        echo "(the output above is also in $out)"
    fi
    [ $result = FAILED ] && failed=$((failed + 1))
done
if [ $failed -gt 0 ]; then
    echo "$failed of $# programs FAILED: their pages claim something that no longer holds"
    exit 1
fi
[ $# -gt 1 ] && echo "every tutorial, lab and variant holds what its page says (outputs in <program>.out)"
exit 0
