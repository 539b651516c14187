#!/usr/bin/env bash
# Draws the pictures of docs/pictures.md (docs/figures/*.svg) with the very commands
# the page shows, and prints the figures it quotes: every head's distance from
# uniform, previous-token and induction scores. About 4 minutes on one core of an idle
# machine. Needs `make` first.
#
# Usage: tests/experiments/pictures.sh [WORK_DIR]     (checkpoints and logs; default build/pictures)
set -euo pipefail
cd "$(dirname "$0")/../.."
GPT=build/gpt
WORK=${1:-build/pictures}
OUT=docs/figures
mkdir -p "$WORK" "$OUT"

# The head that ended farthest from uniform, "L H", from the summary line of --attention-every.
farthest_head() { sed -n 's/.*farthest from uniform is layer \([0-9]*\), head \([0-9]*\):.*/\1 \2/p' "$1"; }

echo "== the nano model on this project's docs (section: A small model to draw)"
$GPT pretrain --preset nano --tokenizer chars --steps 1000 --eval-every 100 \
              --log "$WORK/loss.csv" --out "$WORK/nano.ckpt" --sample-tokens 0 --quiet
$GPT plot --log "$WORK/loss.csv" --out "$OUT/loss.svg"
$GPT attention --ckpt "$WORK/nano.ckpt" --text "the model reads the text" --layer 1 --head 2 \
               --out "$OUT/nano_attention.svg"

echo "== a previous-token head in seconds (section: Heads you can see)"
start=$(date +%s)
$GPT pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 --heads 2 \
              --ctx 32 --steps 5000 --lr 2 --clip 1 --out "$WORK/previous.ckpt" --sample-tokens 0 --quiet \
              --attention-every 500 --attention-text "qwqwqwqwqw" --attention-out "$OUT/previous_film.svg" \
              2>&1 | tee "$WORK/previous.out"
echo "($(( $(date +%s) - start )) s)"
read -r layer head < <(farthest_head "$WORK/previous.out")
$GPT attention --ckpt "$WORK/previous.ckpt" --text "qwqwqwqwqw" --layer "$layer" --head "$head" \
               --out "$OUT/previous_head.svg"

echo "== an induction head (section: Heads you can see)"
start=$(date +%s)
$GPT pretrain --data synthetic:induction --tokenizer chars --preset nano --layers 2 --heads 2 \
              --ctx 32 --steps 20000 --lr 1 --clip 1 --out "$WORK/induction.ckpt" --sample-tokens 0 --quiet \
              --attention-every 2000 --attention-text "qwhdkzvn qwhdkzvn" --attention-out "$OUT/induction_film.svg" \
              2>&1 | tee "$WORK/induction.out"
echo "($(( $(date +%s) - start )) s)"
read -r layer head < <(farthest_head "$WORK/induction.out")
$GPT attention --ckpt "$WORK/induction.ckpt" --text "qwhdkzvn qwhdkzvn" --layer "$layer" --head "$head" \
               --out "$OUT/induction_head.svg"

echo "== the autograd graph of a model of width 4 (section: The autograd graph)"
$GPT graph --values --out "$OUT/graph.svg" > "$WORK/graph.txt"
ls -l "$OUT"
