#!/usr/bin/env bash
# Does the fan-in initialisation (pretrain/finetune --init fan-in) help on real tasks, not
# only on the synthetic comparisons of twoseg_data.py? A small check, not Table 5: the
# nano preset with the byte tokenizer and a context of 128, pre-trained on a few novels
# from ../shared/data/books, then fine-tuned on SST-2 (classification) and SICK
# (entailment), with and without pre-training, for each initialisation.
# Usage: tests/experiments/init_real.sh [DATA_DIR] [WORK_DIR] (needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
WORK=${2:-build/init_real}
STEPS=${STEPS:-2000}
MAX_TRAIN=${MAX_TRAIN:-4000}
EPOCHS=${EPOCHS:-2}
LR=${LR:-0.05}
mkdir -p "$WORK"
cat "$DATA"/books/{emma_pg158,frankenstein_pg84,dracula_pg345}.txt > "$WORK/pretrain.txt"
for init in gpt1 fan-in; do
  nice -n 10 build/gpt pretrain --data "$WORK/pretrain.txt" --preset nano --ctx 128 --steps "$STEPS" --lr 0.3 --clip 1 \
      --init "$init" --eval-every 0 --eval-windows 64 --out "$WORK/$init.ckpt" --log "$WORK/$init.csv" --quiet \
      --sample-tokens 0 > /dev/null 2>&1
  echo "pre-trained, $init: validation loss $(tail -n 1 "$WORK/$init.csv" | cut -d, -f3)"
  for arm in pretrained scratch; do
    extra=""
    [ "$arm" = scratch ] && extra="--no-pretrain"
    for t in "sst2|classify|$DATA/sst2/train.tsv|$DATA/sst2/dev.tsv" "sick|entail|$DATA/sick/SICK_train.txt|$DATA/sick/SICK_trial.txt"; do
      IFS='|' read -r name task train dev <<< "$t"
      # shellcheck disable=SC2086
      acc=$(nice -n 10 build/gpt finetune --task "$task" --ckpt "$WORK/$init.ckpt" --train "$train" --dev "$dev" \
          --init "$init" $extra --epochs "$EPOCHS" --lr "$LR" --clip 1 --max-train "$MAX_TRAIN" --out "$WORK/ft.ckpt" \
          --quiet 2>&1 | grep -oE 'best dev accuracy [0-9.]+' | awk '{print $4}')
      echo "  $name, $arm, $init: dev accuracy ${acc:-failed}"
    done
  done
done
