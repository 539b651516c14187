#!/bin/sh
# The three training steps of `make bench` timed by gpt1.c and by PyTorch in one run on
# this machine (a development tool, not a test; PyTorch is not a dependency of the C
# code): gpt bench on 1 thread and on N, then tests/reference/bench_reference.py on 1
# thread and on N, with OpenMP's default wait policy and with OMP_WAIT_POLICY=PASSIVE.
# Prints every bench: line, the machine and its load before and after, and a summary.
#
#     make && tests/reference/bench_side_by_side.sh [N]    # N: threads, default nproc
#
# Run it on an otherwise idle machine: with other jobs running, the second thread of
# either program gets only part of a core and the N-thread figures say little.
set -e
cd "$(dirname "$0")/../.."
threads=${1:-$(nproc)}
python=${PYTHON:-/usr/bin/python3}
gpt=${GPT:-build/gpt}
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $model, $(nproc) cores; load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for step in "tiny 8 64 20" "small 8 256 10" "gpt1 1 128 10"; do
    set -- $step
    shape="--preset $1 --batch $2 --seq $3 --steps $4"
    "$gpt" bench $shape --threads 1 | tee -a "$lines"
    "$gpt" bench $shape --threads "$threads" | tee -a "$lines"
    "$python" tests/reference/bench_reference.py $shape --threads 1 | tee -a "$lines"
    "$python" tests/reference/bench_reference.py $shape --threads "$threads" | tee -a "$lines"
    OMP_WAIT_POLICY=PASSIVE "$python" tests/reference/bench_reference.py $shape --threads "$threads" | tee -a "$lines"
done
echo "machine: load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
# One row per step: gpt1.c on 1 and N threads, its speed-up, PyTorch's better N-thread
# time, and both peak memories.
awk -v n="$threads" '
function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
{ preset = field("preset"); t = field("threads"); ms = field("ms_per_step"); mb = field("peak_rss_mb") }
$2 == "name=train_step" && t == 1 { c1[preset] = ms }
$2 == "name=train_step" && t == n { cn[preset] = ms; cmb[preset] = mb; order[++rows] = preset }
$2 == "name=train_step_pytorch" && t == 1 { p1[preset] = ms }
$2 == "name=train_step_pytorch" && t == n && (best[preset] == "" || ms + 0 < best[preset] + 0) { best[preset] = ms; pmb[preset] = mb }
END {
    printf "summary: step    gpt1.c 1 thread  %d threads  ratio  PyTorch 1 thread  best %d threads  gpt1.c MB  PyTorch MB\n", n, n
    for (r = 1; r <= rows; r++) { s = order[r]
        printf "summary: %-6s %12.1f ms %10.1f ms %6.2f %14.1f ms %13.1f ms %10d %11d\n", s, c1[s], cn[s], cn[s] / c1[s], p1[s], best[s], cmb[s], pmb[s] }
}' "$lines"
