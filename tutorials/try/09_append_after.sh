#!/bin/sh
# The last "Try this" prompt of tutorials/09_kv_cache.md: in attention_step
# (nn/decoder_block_step.c), append the new keys and values to the cache after computing
# the attention instead of before. A copy of that file with the one line moved is linked
# in front of the library (as the exercises replace a function), and tutorial 09 runs on
# it: the cache's logits no longer match the full pass.
#   CC=cc CFLAGS=... tutorials/try/09_append_after.sh BUILD    (make try T=09 V=append_after)
set -u
build=$1
dir=$build/try/09_append_after
mkdir -p "$dir"
source=nn/decoder_block_step.c
append='kv_cache_append(cache, qkv + d, qkv + 2 * d, n, 3 * d);'
if ! grep -qF "$append" "$source" || ! grep -q '^    merge_heads_forward(merged' "$source"; then
    echo "  NOT TRUE  $source still appends with '$append' before merge_heads_forward (update this script)"
    exit 1
fi
# Drop the append line and put it back after the attention loop, before merge_heads_forward.
awk -v append="$append" '
    index($0, append) > 0 { line = $0; next }
    /^    merge_heads_forward\(merged/ { print line }
    { print }
' "$source" >"$dir/decoder_block_step.c"
${CC:-cc} ${CFLAGS:--std=c11 -O2 -I.} -I. -c "$dir/decoder_block_step.c" -o "$dir/decoder_block_step.o" &&
    ${CC:-cc} ${CFLAGS:--std=c11 -O2 -I.} tutorials/09_kv_cache.c "$dir/decoder_block_step.o" "$build/libgpt1.a" \
        -o "$dir/09_kv_cache" -lm || exit 1
"$dir/09_kv_cache" >"$dir/out" 2>&1
status=$?
cat "$dir/out"
echo
if [ $status -ne 0 ] && grep -q "NOT TRUE  at every step the cache gives the full pass's last row" "$dir/out"; then
    echo "  ok  appended after the attention, the new rows read the cache without their own keys and values:"
    echo "      the cached logits part from the full pass's, and the program says so"
    exit 0
fi
echo "  NOT TRUE  with the append moved, the claim of section 2 should fail"
exit 1
