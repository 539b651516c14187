#!/bin/sh
# Proves that every grader can tell a wrong answer from a right one:
#   - graded on the blank exercise as committed, it must FAIL;
#   - graded on each known wrong solution, tutorials/exercises/wrong/NN_*.c (a whole
#     exercise file with one classic mistake, said on its first line), it must FAIL;
#   - graded on the library's own code, it must PASS.
# Every run must end cleanly (status 0 or 1, never a crash of the grader itself), and
# its last line must count exactly the check lines printed above it.
#   tutorials/exercises/check_graders.sh BUILD_DIR EXERCISE...
set -u
dir=$1
shift
status=0

# grade PROGRAM EXPECTED(PASS|FAIL): runs a grader and checks its verdict and its counts;
# sets $summary to its last line and $first_fail to its first FAIL line.
grade() {
    out=$("$1" 2>&1)
    code=$?
    summary=$(printf '%s\n' "$out" | tail -n 1)
    first_fail=$(printf '%s\n' "$out" | sed -n 's/^  FAIL  //p' | head -n 1)
    lines=$(printf '%s\n' "$out" | grep -c '^  \(ok\|FAIL\)  ')
    fails=$(printf '%s\n' "$out" | grep -c '^  FAIL  ')
    case $2 in PASS) want=0 ;; *) want=1 ;; esac
    problem=
    if [ $code -ne 0 ] && [ $code -ne 1 ]; then
        problem="the grader itself stopped with status $code (a crash?)"
    elif [ $code -ne $want ] || [ "${summary#"$2"}" = "$summary" ]; then
        problem="expected $2, got status $code"
    elif [ "$summary" != "PASS: all $lines checks" ] && [ "$summary" != "FAIL: $fails of $lines checks" ]; then
        problem="the last line does not count the $lines check lines ($fails FAIL) above it"
    fi
    if [ -n "$problem" ]; then
        printf '%s\n' "$out"
        echo "exercises: $1: $problem"
        status=1
        return 1
    fi
}

for e in "$@"; do
    grade "$dir/$e" FAIL || continue
    blank=$summary
    grade "$dir/$e.solution" PASS || continue
    echo "ok   $e: the blank fails ($blank), the solution passes ($summary)"
done

for file in tutorials/exercises/wrong/[0-9][0-9]_*.c; do
    [ -f "$file" ] || continue
    name=$(basename "$file" .c)
    exercise=$(ls tutorials/exercises/"${name%%_*}"_*.c 2>/dev/null | head -n 1)
    mistake=$(sed -n '1s|^// Exercise [0-9]*, a known wrong solution: ||; 1s|\.$||p' "$file")
    if [ -z "$exercise" ] || [ -z "$mistake" ] ||
       [ "$(grep '^// Replaces:' "$file")" != "$(grep '^// Replaces:' "$exercise")" ]; then
        echo "exercises: $file must start with '// Exercise NN, a known wrong solution: <the mistake>'" \
             "and have the Replaces line of its exercise"
        status=1
        continue
    fi
    grade "$dir/wrong/$name" FAIL || { echo "exercises: the grader missed $file: $mistake"; continue; }
    echo "ok   wrong/$name fails ($mistake): $first_fail"
done
exit $status
