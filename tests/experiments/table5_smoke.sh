#!/usr/bin/env bash
# table5.sh end to end on data files made up here, in the formats of ../shared/data: a
# few hundred examples per task and one small "book". It proves the pipeline runs (the
# splits, the pre-training legs, every fine-tuning run, the choice on dev, the test
# scores, the table and the figure), not any number: the data has no signal worth
# learning in a few steps. Run by .ci/run, which has no ../shared/data.
# Usage: tests/experiments/table5_smoke.sh   (needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/books" "$tmp/sst2" "$tmp/sick" "$tmp/mrpc" "$tmp/storycloze"

{ echo "The Project Gutenberg eBook of a made-up book"; echo "*** START OF THE PROJECT GUTENBERG EBOOK A BOOK ***"
  cat README.md docs/finetuning.md
  echo "*** END OF THE PROJECT GUTENBERG EBOOK A BOOK ***"; echo "the licence, which is left out"; } > "$tmp/books/book.txt"

words=(the cat dog sat ran on mat log a man woman is playing guitar not no good bad film story)
sentence() {  # SEED: a sentence of 4 to 8 of the words above
  local s=$1 n=$((4 + $1 % 5)) out=""
  for ((k = 0; k < n; k++)); do out+="${words[$(( (s * 7 + k * 13 + s / 3) % ${#words[@]} ))]} "; done
  echo "${out% }"
}
for split in train dev; do
  n=$([ $split = train ] && echo 300 || echo 60)
  { echo -e "sentence\tlabel"; for ((i = 0; i < n; i++)); do echo -e "$(sentence $i) \t$((i % 2))"; done; } \
      > "$tmp/sst2/$split.tsv"
done
labels=(NEUTRAL ENTAILMENT CONTRADICTION)
for f in SICK_train SICK_trial; do
  n=$([ $f = SICK_train ] && echo 300 || echo 60)
  { echo -e "pair_ID\tsentence_A\tsentence_B\tentailment_label\trelatedness_score\tentailment_AB\tentailment_BA\tsentence_A_original\tsentence_B_original\tsentence_A_dataset\tsentence_B_dataset\tSemEval_set"
    for ((i = 1; i <= n; i++)); do
      echo -e "$i\t$(sentence $i)\t$(sentence $((i + 5)))\t${labels[$((i % 3))]}\t3.5\tA_x_B\tB_x_A\ta\tb\tFLICKR\tFLICKR\tTRAIN"
    done; } > "$tmp/sick/$f.txt"
done
{ echo -e "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String"
  for ((i = 1; i <= 300; i++)); do echo -e "$((i % 3 > 0 ? 1 : 0))\t$i\t$((i + 1000))\t$(sentence $i).\t$(sentence $((i + 2)))."; done
} > "$tmp/mrpc/msr_paraphrase_train.txt"
{ echo "InputStoryid,InputSentence1,InputSentence2,InputSentence3,InputSentence4,RandomFifthSentenceQuiz1,RandomFifthSentenceQuiz2,AnswerRightEnding"
  for ((i = 1; i <= 300; i++)); do
    echo "id$i,$(sentence $i).,$(sentence $((i + 1))).,$(sentence $((i + 2))).,$(sentence $((i + 3))).,$(sentence $((i + 4))).,$(sentence $((i + 9))).,$((1 + i % 2))"
  done; } > "$tmp/storycloze/cloze_test_val__spring2016.csv"

PRESET=nano CTX=32 MERGES=40 STEPS=8 BOOKS="$tmp/books/book.txt" \
    tests/experiments/table5.sh --quick "$tmp" "$tmp/work" > "$tmp/out.txt" 2>&1 ||
  { cat "$tmp/out.txt"; echo "table5_smoke.sh: table5.sh failed" >&2; exit 1; }
fail() { cat "$tmp/out.txt"; echo "table5_smoke.sh: $1" >&2; exit 1; }
! grep -q "failed" "$tmp/out.txt" || fail "a run failed"
for title in "SST-2" "SICK" "MRPC" "Story Cloze" "MRPC F1"; do
  row=$(grep "^| $title |" "$tmp/work/table.md" | head -n 1)
  [ "$(echo "$row" | grep -oE '[0-9]+\.[0-9] / [0-9]+\.[0-9] \(' | wc -l)" = 3 ] || fail "no dev / test cells for $title: $row"
done
[ -s "$tmp/work/sst2_steps.svg" ] || fail "no figure"
[ "$(wc -l < "$tmp/work/sst2_steps.csv")" = 5 ] || fail "the steps table lacks rows"
echo "table5.sh: every run, the table and the figure on made-up data ($(wc -l < "$tmp/work/table.md") lines)"
