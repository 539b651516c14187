#!/bin/sh
# Proves that every grader can tell a wrong answer from a right one: graded on the
# blank exercise as committed, it must fail with a clean FAIL line (not a crash);
# graded on the library's own code, it must pass.
#   tutorials/exercises/check_graders.sh BUILD_DIR EXERCISE...
set -u
dir=$1
shift
status=0
for e in "$@"; do
    blank=$("$dir/$e" 2>&1)
    blank_status=$?
    solution=$("$dir/$e.solution" 2>&1)
    solution_status=$?
    last_blank=$(echo "$blank" | tail -n 1)
    last_solution=$(echo "$solution" | tail -n 1)
    if [ $blank_status -ne 1 ] || [ "${last_blank#FAIL}" = "$last_blank" ]; then
        echo "$blank"
        echo "exercises: the grader of $e should FAIL the blank exercise (status $blank_status)"
        status=1
    elif [ $solution_status -ne 0 ] || [ "${last_solution#PASS}" = "$last_solution" ]; then
        echo "$solution"
        echo "exercises: the grader of $e should PASS the library's solution (status $solution_status)"
        status=1
    else
        echo "ok   $e: the blank fails ($last_blank), the solution passes"
    fi
done
exit $status
