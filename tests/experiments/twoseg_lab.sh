#!/usr/bin/env bash
# Builds tests/experiments/twoseg_lab.c against build/libgpt1.a (run `make` first) and
# runs it once per task and seed: "task seed best-dev-accuracy (epoch) last-train-L2".
# Usage: tests/experiments/twoseg_lab.sh DIR "TASKS" "SEEDS" [lab options...]
#   DIR holds pretrain.ckpt and TASK.train.tsv / TASK.dev.tsv from twoseg_data.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
lab=build/experiments/twoseg_lab
if [ ! -x $lab ] || [ tests/experiments/twoseg_lab.c -nt $lab ] || [ build/libgpt1.a -nt $lab ]; then
  mkdir -p build/experiments
  cc -std=c11 -O3 -march=native -I. -Wall -Wextra -Werror tests/experiments/twoseg_lab.c build/libgpt1.a -lm -pthread -o $lab
fi
dir=$1 tasks=$2 seeds=$3
shift 3
for t in $tasks; do
  kind=${t%%_*}
  case $t in *_joined) kind=classify ;; esac
  for s in $seeds; do
    echo "$t $s $(nice -n 10 $lab --task "$kind" --ckpt "$dir/pretrain.ckpt" --train "$dir/$t.train.tsv" \
        --dev "$dir/$t.dev.tsv" --seed "$s" "$@" 2>&1)"
  done
done
