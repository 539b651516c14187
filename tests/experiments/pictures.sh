#!/usr/bin/env bash
# Draws the pictures of docs/pictures.md (docs/figures/*.svg) by running the page's own
# commands, line for line: every command block of the page marked
# "<!-- quoted from tests/experiments/pictures.sh -->" is in this file as it is, and
# make check (tests/check_doc_quotes.sh) fails when the two part. It prints every figure
# the page quotes: every head's distance from uniform, previous-token and induction
# scores, and the seconds each run took. About 3 minutes on an idle machine. Needs `make`.
#
# Usage: tests/experiments/pictures.sh [WORK_DIR]
# The commands run in WORK_DIR (default: a new temporary directory), where they leave
# their checkpoints and logs; a link WORK_DIR/build to this checkout's build/ lets them
# say build/gpt as the page does.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FIGURES=$ROOT/docs/figures
WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/gpt1c_pictures.XXXXXX")}
mkdir -p "$WORK" "$FIGURES"
WORK=$(cd "$WORK" && pwd)
if [ -e "$WORK/build" ] && [ ! -L "$WORK/build" ]; then
    echo "pictures.sh: $WORK/build exists and is not a link: choose another WORK_DIR" >&2
    exit 2
fi
ln -sfn "$ROOT/build" "$WORK/build"
cd "$WORK"
echo "working in $WORK"

start=0
timer_start() { start=$(date +%s.%N); }
timer_print() { awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "(%.1f s)\n", b - a }'; }

echo "== the nano model on this project's docs (section: A small model to draw)"
build/gpt pretrain --preset nano --tokenizer chars --steps 1000 --eval-every 100 \
                   --log loss.csv --out nano.ckpt
build/gpt plot --log loss.csv --out loss.svg
build/gpt attention --ckpt nano.ckpt --text "the model reads the text" --layer 1 --head 2 --out attn.svg
cp loss.svg "$FIGURES/loss.svg"
cp attn.svg "$FIGURES/nano_attention.svg"

echo "== a previous-token head in seconds (section: A previous-token head in seconds)"
timer_start
build/gpt pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 --heads 2 \
                   --ctx 32 --steps 5000 --lr 2 --clip 1 --out previous.ckpt
build/gpt attention --ckpt previous.ckpt --text "qwqwqwqwqw" --pick previous --out previous_head.svg
timer_print
cp previous_head.svg "$FIGURES/previous_head.svg"
mv previous.ckpt previous_plain.ckpt

echo "== the same run, watched (section: Watching it form)"
timer_start
build/gpt pretrain --data synthetic:previous --tokenizer chars --preset nano --layers 1 --heads 2 \
                   --ctx 32 --steps 5000 --lr 2 --clip 1 --out previous.ckpt \
                   --attention-every 500 --attention-text "qwqwqwqwqw" --attention-out previous_film.svg
timer_print
cmp previous.ckpt previous_plain.ckpt && echo "the pictures changed nothing: the same checkpoint, byte for byte"
cp previous_film.svg "$FIGURES/previous_film.svg"

echo "== an induction head (section: An induction head in a minute and a half)"
timer_start
build/gpt pretrain --data synthetic:induction --tokenizer chars --preset nano --layers 2 --heads 2 \
                   --ctx 32 --steps 20000 --lr 1 --clip 1 --out induction.ckpt \
                   --attention-every 2000 --attention-text "qwhdkzvn qwhdkzvn" --attention-out induction_film.svg
build/gpt attention --ckpt induction.ckpt --text "qwhdkzvn qwhdkzvn" --pick induction --out induction_head.svg
timer_print
cp induction_film.svg induction_head.svg "$FIGURES/"

echo "== the autograd graph of a model of width 4 (section: The autograd graph)"
build/gpt graph --values --out graph.svg
cp graph.svg "$FIGURES/graph.svg"
ls -l "$FIGURES"
