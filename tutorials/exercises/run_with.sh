#!/bin/sh
# `make exercise N=NN RUN=TUTORIAL`, after the grader has passed: runs the tutorial
# built with the student's functions in place of the library's (every call in the
# library reaches them) and says so when every claim of its page held.
#   tutorials/exercises/run_with.sh EXERCISE TUTORIAL PROGRAM
set -u
exercise=$1 tutorial=$2 program=$3
functions=$(sed -n 's|^// Replaces: [^ ]* ||p' "tutorials/exercises/$exercise.c" | sed 's/ / and /g')
echo
echo "== tutorial $tutorial, with your $functions in the library"
if "$program"; then
    case $tutorial in
    *pretrain* | *finetune*) what="just trained a GPT" ;;
    *) what="just ran inside the real model" ;;
    esac
    echo
    echo "PASS: your $functions $what: tutorial $tutorial held every claim of its page with it"
else
    echo
    echo "FAIL: tutorial $tutorial did not hold with your $functions: the grader's checks passed, but the"
    echo "      model needs more of it (the lines NOT TRUE above say what went wrong)"
    exit 1
fi
