#!/usr/bin/env bash
# A miniature of Figure 2 of the paper.
#   right: the zero-shot heuristics of section 5 (gpt zeroshot) scored on checkpoints kept
#          during pre-training: sentiment on SST-2 dev, multiple choice on Story Cloze, and
#          acceptability on SST-2 dev sentences against the same words shuffled (there is
#          no CoLA here; the threshold is fitted on 500 SST-2 training sentences)
#   left:  fine-tuning on SST-2 that transfers the embeddings and the first N blocks of the
#          pre-trained model (gpt finetune --transfer-layers N), N = 0 .. n_layers
# and draws both with gpt plot. Results go to docs/results.md by hand.
#
# Usage: tests/experiments/figure2.sh [DATA_DIR] [WORK_DIR]
#   DATA_DIR: the shared data sets (default ../shared/data); WORK_DIR: outputs (default build/figure2)
# Needs `make` first; uses a copy of build/gpt, so rebuilding during a run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data}
WORK=${2:-build/figure2}
mkdir -p "$WORK"
cp build/gpt "$WORK/gpt"
GPT="nice -n 10 $WORK/gpt"
start=$(date +%s)

PRESET=${PRESET:-tiny}
CTX=${CTX:-128}
MERGES=${MERGES:-4000}
# Pre-training steps at which to score; step 1 stands for the random initialisation (a
# run of 0 steps writes no checkpoint).
CHECKPOINTS=${CHECKPOINTS:-"1 250 500 1000 2000 3000"}
EPOCHS=${EPOCHS:-3}
FT_LR=${FT_LR:-0.05}
MAX_TRAIN=${MAX_TRAIN:-8000}

# 1. Pre-training text: the small BooksCorpus of shared/data (GPT-1 pre-trained on
#    BooksCorpus), all books but the last, which is kept for the validation loss.
books=("$DATA"/books/*.txt)
cat "${books[@]:0:${#books[@]}-1}" > "$WORK/pretrain.txt"
cp "${books[-1]}" "$WORK/val.txt"
$GPT bpe-train --data "$WORK/pretrain.txt" --merges "$MERGES" --lowercase --out "$WORK/vocab.bpe" --quiet
pretrain=(--data "$WORK/pretrain.txt" --tokenizer "bpe:$WORK/vocab.bpe" --preset "$PRESET" --ctx "$CTX" --batch 8
          --lr 0.3 --clip 1.0 --eval-every 0 --eval-windows 8 --sample-tokens 0 --quiet --out "$WORK/lm.ckpt")

# 2. Acceptability data: each sentence (1) and its words in a shuffled order (0).
shuffled() {  # FILE FIRST_LINE COUNT: SST-2 sentences and their shuffles, as a classify TSV
  awk -F'\t' -v first="$2" -v count="$3" 'NR >= first && NR < first + count { print $1 }' "$1" | awk 'BEGIN { srand(1) } {
    print $0 "\t1"; n = split($0, w, " ");
    for (i = n; i > 1; i--) { j = int(rand() * i) + 1; t = w[i]; w[i] = w[j]; w[j] = t }
    s = w[1]; for (i = 2; i <= n; i++) s = s " " w[i]; print s "\t0" }'
}
shuffled "$DATA/sst2/train.tsv" 2 500 > "$WORK/acceptability_fit.tsv"
shuffled "$DATA/sst2/dev.tsv" 2 872 > "$WORK/acceptability_dev.tsv"

# 3. Pre-training in segments (--resume continues exactly), scoring each checkpoint.
echo "step,val_loss,sentiment,choice,acceptability" > "$WORK/zeroshot.csv"
zeroshot() {  # CKPT TASK DATA [options]: the accuracy
  $GPT zeroshot --ckpt "$1" --task "$2" --data "$3" "${@:4}" 2> "$WORK/zeroshot.err" | awk '{print $2}'
}
rm -f "$WORK/lm.ckpt"
for steps in $CHECKPOINTS; do
  if [ ! -f "$WORK/lm.ckpt" ]; then
    $GPT pretrain "${pretrain[@]}" --steps "$steps" > /dev/null
  else
    $GPT pretrain "${pretrain[@]}" --resume "$WORK/lm.ckpt" --steps "$steps" > /dev/null
  fi
  cp "$WORK/lm.ckpt" "$WORK/step_$steps.ckpt"
  ckpt="$WORK/step_$steps.ckpt"
  val=$($GPT eval --ckpt "$ckpt" --data "$WORK/val.txt" 2>/dev/null | awk '{print $2}')
  sentiment=$(zeroshot "$ckpt" sentiment "$DATA/sst2/dev.tsv")
  choice=$(zeroshot "$ckpt" choice "$DATA/storycloze/cloze_test_val__spring2016.csv")
  zeroshot "$ckpt" acceptability "$WORK/acceptability_fit.tsv" --format tsv > /dev/null
  threshold=$(grep -o '> [-0-9.]*' "$WORK/zeroshot.err" | awk '{print $2}')
  acceptability=$(zeroshot "$ckpt" acceptability "$WORK/acceptability_dev.tsv" --format tsv --threshold "$threshold")
  echo "$steps,$val,$sentiment,$choice,$acceptability" | tee -a "$WORK/zeroshot.csv"
done
$GPT plot --log "$WORK/zeroshot.csv" --out "$WORK/figure2_zeroshot.svg" \
    --title "Zero-shot accuracy during pre-training (tiny, small BooksCorpus)"
pretrained=$(date +%s)

# 4. Fine-tuning with the first N blocks transferred, two runs at a time.
layers=$($GPT inspect --ckpt "$WORK/lm.ckpt" | awk '/^model:/ {print $2}')
run_one() {  # N
  $GPT finetune --task classify --ckpt "$WORK/lm.ckpt" --train "$DATA/sst2/train.tsv" --dev "$DATA/sst2/dev.tsv" \
      --transfer-layers "$1" --epochs "$EPOCHS" --lr "$FT_LR" --max-train "$MAX_TRAIN" \
      --out "$WORK/transfer_$1.ckpt" --log "$WORK/transfer_$1.csv" --quiet > "$WORK/transfer_$1.txt" 2>&1
}
running=0
for n in $(seq 0 "$layers"); do
  run_one "$n" &
  running=$((running + 1))
  if [ "$running" -ge 2 ]; then wait -n; running=$((running - 1)); fi
done
wait
echo "layers,dev_accuracy,train_l2" > "$WORK/transfer.csv"
for n in $(seq 0 "$layers"); do
  acc=$(grep -o 'best dev accuracy [0-9.]*' "$WORK/transfer_$n.txt" | awk '{print $4}')
  l2=$(awk -F, '$3 != "" {l2 = $3} END {print l2}' "$WORK/transfer_$n.csv")
  echo "$n,$acc,$l2" | tee -a "$WORK/transfer.csv"
done
$GPT plot --log "$WORK/transfer.csv" --out "$WORK/figure2_transfer.svg" \
    --title "SST-2 dev accuracy against the blocks transferred (tiny)"
finished=$(date +%s)
echo "pre-training and zero-shot scoring: $((pretrained - start)) s; fine-tuning: $((finished - pretrained)) s"
