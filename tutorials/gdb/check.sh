#!/bin/sh
# Runs tutorials/gdb/check.gdb on tutorial 04 in gdb -batch, with the commands of
# tutorials/gdb/gpt1.gdb, and checks that every command printed what it should. Then
# the gdb prompts of the tutorials' "Try this" sections: try_02.gdb on tutorial 02,
# try_05.gdb on tutorial 05 and try_09.gdb on gpt sample.
#   tutorials/gdb/check.sh build/debug/tutorials
set -u
tutorials=$1
here=$(dirname "$0")
if ! command -v gdb >/dev/null 2>&1; then
    echo "gdb-check: gdb is not installed"
    exit 1
fi
status=0
# session PROGRAM COMMANDS [ARGUMENTS]: runs the commands on build/debug/tutorials/PROGRAM
# (started with the arguments) into $out. LeakSanitizer cannot run under a debugger
# (both use ptrace); the leak check is make MODE=debug check's job.
session() {
    program=$1 commands=$2
    shift 2
    out=$(ASAN_OPTIONS=detect_leaks=0 gdb -batch -nx -x "$here/gpt1.gdb" -x "$here/$commands" \
          --args "$tutorials/$program" "$@" 2>&1)
    session_status=0
    if printf '%s\n' "$out" | grep -q "Error in sourced command file"; then
        echo "gdb-check: a command of $2 failed"
        session_status=1
    fi
}
expect() {
    if ! printf '%s\n' "$out" | grep -qF -- "$1"; then
        echo "gdb-check: missing: $1   ($2)"
        session_status=1
    fi
}
# Shows the whole session when one of its expectations failed.
end_session() {
    if [ $session_status -ne 0 ]; then
        printf '%s\n' "$out"
        status=1
    fi
}

session 04_attention check.gdb
expect "Breakpoint 1, masked_self_attention" "break masked_self_attention"
expect "'add' [1,5,8], 40 values" "pshape x"
expect "tensor 'add' [1,5,8], 40 values" "ptensor x"
expect "graph: 3 nodes" "ptape"
expect "   0  gather_rows                          gather_rows        [1,5,8]          <- wte.weight" \
       "ptape: the token lookup first, whatever the compiler (docs/debugging.md shows it so)"
expect "   2  add                                  add                [1,5,8]          <- 0 1" "ptape"
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
end_session

session 02_autograd try_02.gdb
expect "Breakpoint 1, square_node_backward (node=" "break square_node_backward"
expect '"square"' "print node->op->name"
expect "for (long i = 0; i < node->out->size; i++) dx[i] +=" "next, next: the loop of the backward"
if ! printf '%s\n' "$out" | grep -qE '^[0-9]+	}$'; then
    echo "gdb-check: missing: the function's closing brace   (next: the loop has run)"
    session_status=1
fi
end_session

session 05_decoder_block try_05.gdb
expect "Breakpoint 1, decoder_block (block=" "break decoder_block"
expect 'Value returned is $1 = (Tensor *)' "finish"
expect "tensor 'blocks.0.layer_norm' [1,4,8], 32 values" "ptensor \$: the block's output, its second LayerNorm"
end_session

# Tutorial 09's prompt runs gpt sample (bytes, so "The cache" is 9 tokens) on a nano
# model trained for one step.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if ASAN_OPTIONS=detect_leaks=0 "$tutorials/../gpt" pretrain --preset nano --steps 1 --sample-tokens 0 --quiet \
       --out "$scratch/nano.ckpt" >"$scratch/pretrain.out" 2>&1; then
    session ../gpt try_09.gdb sample --ckpt "$scratch/nano.ckpt" --prompt "The cache" --tokens 2
    expect "Breakpoint 1, cached_attention (" "break cached_attention"
    expect '$1 = 9' "print n: the prompt in one call"
    expect '$2 = 0' "print past: nothing before it"
    expect '$3 = 1' "print n: then one token at a time"
    expect '$4 = 9' "print past: after the prompt"
    end_session
else
    cat "$scratch/pretrain.out"
    echo "gdb-check: could not train the model for tutorial 09's prompt"
    status=1
fi

[ $status -eq 0 ] || exit 1
echo "gdb-check: every command of tutorials/gdb/gpt1.gdb works on $tutorials/04_attention," \
     "and the gdb prompts of tutorials 02, 05 and 09 run"
