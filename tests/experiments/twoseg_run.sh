#!/usr/bin/env bash
# One controlled fine-tuning run per line of output, on the synthetic tasks of
# twoseg_data.py: "task seed best-dev-accuracy (epoch)".
# Usage: tests/experiments/twoseg_run.sh DIR "TASKS" "SEEDS" [finetune options...]
#   DIR holds pretrain.ckpt (or pass --ckpt) and TASK.train.tsv / TASK.dev.tsv.
# The task kind is the name's first word (entail_joined -> classify: a joined control).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$1 tasks=$2 seeds=$3
shift 3
for t in $tasks; do
  kind=${t%%_*}
  case $t in *_joined) kind=classify ;; esac
  for s in $seeds; do
    result=$(nice -n 10 build/gpt finetune --task "$kind" --ckpt "$dir/pretrain.ckpt" --train "$dir/$t.train.tsv" \
        --dev "$dir/$t.dev.tsv" --out "$dir/ft.$$.ckpt" --quiet --seed "$s" "$@" 2>&1 |
        grep -oE 'best dev accuracy [0-9.]+ \(epoch [0-9]+\)|loss became [^:]*' || true)
    echo "$t $s ${result:-failed}"
  done
done
rm -f "$dir/ft.$$.ckpt"
