#!/bin/sh
# Runs every tutorial and lab program given, each of which checks the claims of its
# page and exits non-zero when one no longer holds. The output of each goes to
# <program>.out; a failing program's output is shown.
#   tutorials/run_all.sh PROGRAM...
set -u
status=0
for program in "$@"; do
    start=$(date +%s%N)
    if "$program" >"$program.out" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    printf '%-6s %-46s %3d.%d s\n' "$result" "$program" $((ms / 1000)) $((ms % 1000 / 100))
    if [ $result = FAILED ]; then
        cat "$program.out"
        echo "(the output above is also in $program.out)"
    fi
done
[ $status -eq 0 ] && echo "every tutorial and lab holds what its page says (outputs in <program>.out)"
exit $status
