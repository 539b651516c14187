#!/bin/sh
# Writes to stdout the exercise file with the library's own definitions of its
# functions in place of the blank ones: a right answer written by nobody, with which
# exercises-check proves that `make exercise N=NN RUN=TUTORIAL` builds and runs.
#   tutorials/exercises/solve.sh EXERCISE      (e.g. 04_attention)
# The exercise's comment and #includes are kept; each function is copied from the line
# that starts its definition to the brace that closes it (the first "}" in column 0).
# Needs only sh, sed and awk.
set -eu
file=tutorials/exercises/$1.c
set -- $(sed -n 's|^// Replaces: ||p' "$file")
library=$1
shift
awk '/^[A-Za-z].*[ *][a-z_0-9]+\(/ { exit } { print }' "$file"
for name in "$@"; do
    awk -v name="$name" '
        $0 ~ ("^[A-Za-z].*[ *]" name "\\(") { copying = 1 }
        copying { print }
        copying && /^}/ { copying = 0; print "" }' "$library"
done
