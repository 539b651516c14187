#!/bin/sh
# Runs tutorials/gdb/check.gdb on tutorial 04 in gdb -batch, with the commands of
# tutorials/gdb/gpt1.gdb, and checks that every command printed what it should.
#   tutorials/gdb/check.sh build/debug/tutorials/04_attention
set -u
binary=$1
here=$(dirname "$0")
if ! command -v gdb >/dev/null 2>&1; then
    echo "gdb-check: gdb is not installed"
    exit 1
fi
# LeakSanitizer cannot run under a debugger (both use ptrace); the leak check is
# make MODE=debug check's job.
out=$(ASAN_OPTIONS=detect_leaks=0 gdb -batch -nx -x "$here/gpt1.gdb" -x "$here/check.gdb" "$binary" 2>&1)
status=0
expect() {
    if ! printf '%s\n' "$out" | grep -qF -- "$1"; then
        echo "gdb-check: missing: $1   ($2)"
        status=1
    fi
}
expect "Breakpoint 1, masked_self_attention" "break masked_self_attention"
expect "'add' [1,5,8], 40 values" "pshape x"
expect "tensor 'add' [1,5,8], 40 values" "ptensor x"
expect "graph: 3 nodes" "ptape"
expect "tensor 'attn.add' [1,5,8], 40 values" "finish, then ptensor \$"
expect "node 18: add -> 'attn.add' [1,5,8]" "plast"
expect "input 1: 'attn.c_proj.bias'" "plast"
expect "node 17: matmul -> 'attn.matmul' [1,5,8]" "pnode the_tape.last->prev"
expect "= {1, 0, 0, 0, 0}" "pvalues m->attn.last_weights 5: row 0 of the attention"
expect "= 2" "print m->attn.n_heads"
expect "attn.c_attn.weight                   [8,24]                    192" "pparams m"
expect "total                                                         2400" "pparams m"
expect "= {0, 0, 0, 0}" "pgrad m->attn.c_attn.weight 4: no backward has run"
expect "'attn.softmax' has no gradient yet" "pgrad m->attn.last_weights"
expect "Breakpoint 2 at" "break-nan: the breakpoint on report_non_finite"
expect "Breakpoint 2, report_non_finite (" "break-nan: stops at the planted infinity"
expect "in check_output_finite (op=" "break-nan, then bt 5"
expect "in linear (layer=" "break-nan, then bt 5: the Q/K/V projection"
expect "tensor 'attn.matmul' [1,5,24], 120 values" "break-nan, then ptensor t"
if printf '%s\n' "$out" | grep -q "Error in sourced command file"; then
    echo "gdb-check: a command failed"
    status=1
fi
if [ $status -ne 0 ]; then
    printf '%s\n' "$out"
    exit 1
fi
echo "gdb-check: every command of tutorials/gdb/gpt1.gdb works on $binary"
