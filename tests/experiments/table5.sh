#!/usr/bin/env bash
# A miniature of Table 5 of the paper (ablations), end to end: pre-train a classroom model
# on the public-domain novels of ../shared/data/books (the BooksCorpus of this miniature,
# every other sentence said twice so that the model learns to copy: see step 1),
# then fine-tune it on SST-2, SICK, MRPC and Story Cloze, each three ways:
#   (a) from the pre-trained checkpoint, with the auxiliary LM loss, lambda = 0.5
#   (b) from the pre-trained checkpoint, lambda = 0 (the paper's "without aux LM")
#   (c) from random weights, lambda = 0.5 (the paper's "without pre-training")
# Every arm gets the same small learning-rate grid and keeps the rate whose best epoch
# scores highest on the development split; that one checkpoint alone is then scored on
# the test split. Nothing is tuned on a test split. A second figure: SST-2 after 0, 1/4,
# 1/2 and all of the pre-training steps (each again at its own best rate).
# A run stopped part-way goes on where it stopped when started again in the same folder.
#
# Usage: tests/experiments/table5.sh [--quick] [DATA_DIR] [WORK_DIR]
#   --quick   a few minutes: the nano preset, three books, a few hundred steps and
#             examples. It proves the pipeline, not the paper: its figures are noise.
#   DATA_DIR  the shared data sets (default ../shared/data)
#   WORK_DIR  everything it writes (default build/table5, or build/table5-quick)
# The settings below can be overridden from the environment (PRESET=small ...).
# Needs `make` first. Two fine-tuning runs go side by side, one per core.
set -euo pipefail
cd "$(dirname "$0")/../.."
{  # one block: bash reads it whole before running it, so editing this file cannot upset a run
MODE=full
if [ "${1:-}" = --quick ]; then MODE=quick; shift; fi
DATA=${1:-../shared/data}
WORK=${2:-build/table5$([ $MODE = quick ] && echo -quick || true)}
GPT=build/gpt
[ -x $GPT ] || { echo "table5.sh: $GPT not found: run make first" >&2; exit 2; }
[ -d "$DATA/books" ] || { echo "table5.sh: $DATA/books not found (DATA_DIR)" >&2; exit 2; }

if [ $MODE = full ]; then  # about an hour on two idle cores
  PRESET=${PRESET:-tiny} CTX=${CTX:-128} MERGES=${MERGES:-4000} STEPS=${STEPS:-20000}
  LRS=${LRS:-"0.1 0.3 1"} BOOKS=${BOOKS:-"$DATA/books/*.txt"}
  # name|task|format|extension|epochs|at most this many training examples (0: all)
  tasks=("storycloze|choice|storycloze|csv|3|0" "mrpc|similar|mrpc|txt|3|0" "sick|entail|sick|txt|3|0"
         "sst2|classify|sst2|tsv|3|12000")
else
  PRESET=${PRESET:-nano} CTX=${CTX:-64} MERGES=${MERGES:-1000} STEPS=${STEPS:-400}
  LRS=${LRS:-"0.1 0.3"}
  tasks=("storycloze|choice|storycloze|csv|1|600" "mrpc|similar|mrpc|txt|1|600" "sick|entail|sick|txt|1|600"
         "sst2|classify|sst2|tsv|1|600")
  BOOKS=${BOOKS:-"$DATA/books/emma_pg158.txt $DATA/books/frankenstein_pg84.txt $DATA/books/dracula_pg345.txt"}
fi
# N(0, 1/fan_in) weights for every arm (docs/finetuning.md, "Rules that compare two
# segments"); gradient norms clipped at 1, so that one grid of rates suits every arm.
INIT=${INIT:-fan-in} CLIP=${CLIP:-1}
# Pre-training: Adam (`--optimizer adam`) at lr 1e-3 after a warm-up of 200 steps, or
# PRETRAIN_OPTIMIZER=sgd at lr 0.3. Adam nearly reaches in 5,000 steps the loss SGD
# reaches in 20,000. (The legs resume one another; a resumed Adam run starts its moments
# afresh, which costs a few hundredths of a nat for a few hundred steps: results.md.)
PRETRAIN_OPTIMIZER=${PRETRAIN_OPTIMIZER:-adam}
if [ "$PRETRAIN_OPTIMIZER" = adam ]; then
  PRETRAIN_LR=${PRETRAIN_LR:-1e-3} PRETRAIN_WARMUP=${PRETRAIN_WARMUP:-200}
else
  PRETRAIN_LR=${PRETRAIN_LR:-0.3} PRETRAIN_WARMUP=${PRETRAIN_WARMUP:-0}
fi
SCHEDULE=${SCHEDULE:-"--warmup 2% --decay linear"}  # fine-tuning: the paper's shape of schedule
mkdir -p "$WORK/data" "$WORK/runs"
start=$(date +%s)

# --- 1. The pre-training text: each book between its START and END lines -------------
book_text() {  # (the byte-order mark and the licence are outside those lines)
  awk '{ l = tolower($0) }
       l ~ /^[ \t]*\*\*\* ?end of (the|this) project gutenberg ebook/ { exit }
       on && l !~ /^end of (the )?project gutenberg/ { print }
       l ~ /^[ \t]*\*\*\* ?start of (the|this) project gutenberg ebook/ { on = 1 }' "$1"
}
# shellcheck disable=SC2086
for book in $BOOKS; do book_text "$book"; done > "$WORK/books.txt"
# The last tenth is held out: the validation loss and the copy probe read it.
held_out=$(( $(wc -c < "$WORK/books.txt") / 10 ))
tail -c "$held_out" "$WORK/books.txt" > "$WORK/books_validation.txt"
# The rest is the text the model is pre-trained on. With REPEAT=1 (the default) every
# other sentence is said twice ("A A B C C D ..."). A model learns to copy from its
# context (induction heads) from the paper's billion words, and comparing two segments
# builds on that; from this hour's twenty million tokens of novels it does not, unless
# the text rewards copying more often (results.md, "Why the comparison tasks need a model
# that copies").
# REPEAT=0 pre-trains on the books as written.
REPEAT=${REPEAT:-1}
head -c "$(( $(wc -c < "$WORK/books.txt") - held_out ))" "$WORK/books.txt" |
  if [ "$REPEAT" = 1 ]; then
    tr '\n' ' ' | sed 's/\([.!?]\) \+/\1\n/g' |
      awk 'NR % 2 == 1 { printf "%s %s ", $0, $0; next } { printf "%s ", $0 } NR % 4 == 0 { printf "\n" }'
  else
    cat
  fi > "$WORK/pretrain.txt"
echo "pre-training text: $(wc -c < "$WORK/books.txt") bytes from $(echo $BOOKS | wc -w) books," \
     "$(wc -c < "$WORK/pretrain.txt") bytes to train on (REPEAT=$REPEAT), $held_out held out"

# --- 2. Train, dev and test splits (deterministic, every k-th example) ---------------
# split_examples FILE NAME DEV_EVERY TEST_EVERY: example i (from 1) goes to test when
# i % TEST_EVERY == 0, to dev when i % DEV_EVERY == 0, else to train; 0 = none. Headers
# are kept in all three.
split_examples() {
  awk -v base="$WORK/data/$2" -v dev="$3" -v test="$4" -v ext="${1##*.}" '
    NR == 1 { print > (base ".train." ext); print > (base ".dev." ext); print > (base ".test." ext); next }
    { i = NR - 1; to = "train" }
    dev > 0 && i % dev == 0 { to = "dev" }
    test > 0 && i % test == 0 { to = "test" }
    { print > (base "." to "." ext) }' "$1"
}
split_examples "$DATA/sst2/train.tsv" sst2 50 0      # test: GLUE's dev set (872), its test has no labels
cp "$DATA/sst2/dev.tsv" "$WORK/data/sst2.test.tsv"
split_examples "$DATA/sick/SICK_train.txt" sick 10 0  # test: SICK's trial set (495)
cp "$DATA/sick/SICK_trial.txt" "$WORK/data/sick.test.txt"
split_examples "$DATA/mrpc/msr_paraphrase_train.txt" mrpc 5 10                 # no dev/test given
split_examples "$DATA/storycloze/cloze_test_val__spring2016.csv" storycloze 5 10  # only one file

# --- 3. Pre-training, saved after 1/4, 1/2 and all of the steps ----------------------
$GPT bpe-train --data "$WORK/books.txt" --merges "$MERGES" --lowercase --out "$WORK/vocab.bpe" --quiet
validate() {  # CKPT: its loss on the held-out text, into CKPT.val
  $GPT eval --ckpt "$1" --data "$WORK/books_validation.txt" --threads 2 2> /dev/null | awk '$1 == "loss:" { print $2 }' > "$1.val"
}
pretrain_to() {  # STEPS OUT [RESUME]: a constant rate, so three legs make one run (with Adam
  # nearly: its moments start afresh at each leg)
  # A leg whose checkpoint and log already reach STEPS (an earlier run of this script in
  # the same folder, stopped later on) is kept, so that a stopped run can go on.
  if [ -f "$2" ] && [ -s "$2.val" ] && [ "$(tail -n 1 "$2.csv" 2>/dev/null | cut -d, -f1)" = "$1" ]; then
    echo "pre-trained $1 steps (kept from an earlier run): validation loss $(cat "$2.val")"
    return
  fi
  local model=(--tokenizer "bpe:$WORK/vocab.bpe" --preset "$PRESET" --ctx "$CTX" --init "$INIT")
  [ -n "${3:-}" ] && model=(--resume "$3")  # a resumed run's model and tokenizer are the checkpoint's
  $GPT pretrain --data "$WORK/pretrain.txt" --val-fraction 0.01 "${model[@]}" \
      --steps "$1" --batch 8 --optimizer "$PRETRAIN_OPTIMIZER" --lr "$PRETRAIN_LR" --warmup "$PRETRAIN_WARMUP" \
      --clip "$CLIP" --eval-every 0 --eval-windows 64 \
      --sample-tokens 0 --quiet --threads 2 --out "$2" --log "$2.csv" > "$2.txt" 2>&1 ||
    { cat "$2.txt" >&2; exit 1; }
  validate "$2"
  echo "pre-trained $1 steps: validation loss $(cat "$2.val")"
}
pretrain_to $((STEPS / 4)) "$WORK/pretrained_q1.ckpt"
pretrain_to $((STEPS / 2)) "$WORK/pretrained_q2.ckpt" "$WORK/pretrained_q1.ckpt"
pretrain_to "$STEPS" "$WORK/pretrained.ckpt" "$WORK/pretrained_q2.ckpt"
# Does the model copy from its context? (tests/experiments/copy_probe.sh; results.md)
copy_probe=$(tests/experiments/copy_probe.sh "$WORK/pretrained.ckpt" "$WORK/books_validation.txt" 2>&1 || true)
echo "$copy_probe"
pretrained=$(date +%s)

# --- 4. Fine-tuning: every task, arm and rate; two runs at a time --------------------
# arm|checkpoint|options
arms=("a|pretrained|--lambda 0.5" "b|pretrained|--lambda 0" "c|pretrained|--lambda 0.5 --no-pretrain")
steps_arms=("q1|pretrained_q1|--lambda 0.5" "q2|pretrained_q2|--lambda 0.5")  # SST-2 only

finetune_one() {  # NAME TASK FORMAT EXT EPOCHS MAX_TRAIN ARM CKPT LR OPTIONS
  local out="$WORK/runs/$1.$7.$9" d="$WORK/data/$1"
  [ -f "$out.dev" ] && return  # done by an earlier run of this script in this folder
  # shellcheck disable=SC2086
  $GPT finetune --task "$2" --format "$3" --ckpt "$WORK/$8.ckpt" --train "$d.train.$4" --dev "$d.dev.$4" ${10} \
      --init "$INIT" --epochs "$5" --max-train "$6" --lr "$9" --clip "$CLIP" $SCHEDULE --threads 1 --quiet \
      --out "$out.ckpt" --log "$out.csv" > "$out.txt" 2>&1 &&
    $GPT eval --ckpt "$out.ckpt" --task "$2" --format "$3" --data "$d.dev.$4" --threads 1 > "$out.dev" 2>&1 ||
    { rm -f "$out.dev"; echo "table5.sh: $1, arm $7, lr $9 failed: see $out.txt" >&2; }
}
running=0
queue() {  # runs "$@" in the background, at most two at a time
  "$@" &
  running=$((running + 1))
  if [ "$running" -ge 2 ]; then wait -n || true; running=$((running - 1)); fi
}
for t in "${tasks[@]}"; do
  IFS='|' read -r name task format ext epochs max_train <<< "$t"
  all_arms=("${arms[@]}")
  [ "$name" = sst2 ] && all_arms+=("${steps_arms[@]}")
  for a in "${all_arms[@]}"; do
    IFS='|' read -r arm ckpt options <<< "$a"
    for lr in $LRS; do
      queue finetune_one "$name" "$task" "$format" "$ext" "$epochs" "$max_train" "$arm" "$ckpt" "$lr" "$options"
    done
  done
done
wait

# --- 5. The choice on dev, then one score on test -------------------------------------
value_of() { awk -v m="$2:" '$1 == m { print $2 }' "$1" 2> /dev/null || true; }  # FILE METRIC, from gpt eval
best_lr() {  # NAME ARM: the rate whose checkpoint scores best on dev (the smaller one on a tie)
  local best="" best_acc=-1 acc
  for lr in $LRS; do
    acc=$(value_of "$WORK/runs/$1.$2.$lr.dev" accuracy)
    [ -n "$acc" ] && awk -v a="$acc" -v b="$best_acc" 'BEGIN { exit !(a > b) }' && best=$lr best_acc=$acc
  done
  echo "$best"
}
for t in "${tasks[@]}"; do
  IFS='|' read -r name task format ext _ <<< "$t"
  for arm in a b c $([ "$name" = sst2 ] && echo q1 q2); do
    lr=$(best_lr "$name" "$arm")
    [ -z "$lr" ] && continue
    base="$WORK/runs/$name.$arm.$lr"
    echo "$lr" > "$WORK/runs/$name.$arm.chosen"
    [ -f "$base.test" ] || $GPT eval --ckpt "$base.ckpt" --task "$task" --format "$format" \
        --data "$WORK/data/$name.test.$ext" --threads 2 > "$base.test" 2>&1 || rm -f "$base.test"
    for other in $LRS; do [ "$other" = "$lr" ] || rm -f "$WORK/runs/$name.$arm.$other.ckpt"; done
  done
done
finished=$(date +%s)

# --- 6. The tables --------------------------------------------------------------------
chosen_run() {  # NAME ARM: the files' common path for the rate chosen on dev, or nothing
  local lr
  lr=$(cat "$WORK/runs/$1.$2.chosen" 2> /dev/null || true)
  [ -n "$lr" ] && echo "$WORK/runs/$1.$2.$lr"
}
percent() { awk -v v="$1" 'BEGIN { if (v != "") printf "%.1f", 100 * v }'; }
cell() {  # NAME ARM [METRIC]: "dev / test (lr)" in percent, for the rate chosen on dev
  local metric=${3:-accuracy} base
  base=$(chosen_run "$1" "$2")
  [ -z "$base" ] && { echo "failed"; return; }
  echo "$(percent "$(value_of "$base.dev" "$metric")") / $(percent "$(value_of "$base.test" "$metric")")" \
       "($(cat "$WORK/runs/$1.$2.chosen"))"
}
majority() {  # NAME EXT SPLIT [f1]: the split's majority class in percent [or that guess's F1]
  local f="$WORK/data/$1.$3.$2" column
  case $1 in sst2) column=2 ;; sick) column=4 ;; mrpc) column=1 ;; storycloze) column=0 ;; esac
  awk -F'\t' -v c=$column -v f1="${4:-}" 'NR > 1 { n++; if (c == 0) { k = split($0, x, ","); v = x[k] } else v = $c; count[v]++ }
      END { for (v in count) if (count[v] > top) { top = count[v]; label = v }
            p = top / n; if (f1 == "") printf "%.1f", 100 * p
            else if (label == "1") printf "%.1f", 100 * 2 * p / (1 + p); else printf "0.0" }' "$f"
}
{
  echo "Accuracy in percent, dev / test: dev chose the rate (and the epoch); test was scored once."
  echo
  echo "| task | majority class | (a) pre-trained, λ 0.5 | (b) pre-trained, λ 0 | (c) no pre-training, λ 0.5 |"
  echo "|---|---|---|---|---|"
  for t in "sst2|tsv|SST-2" "sick|txt|SICK" "mrpc|txt|MRPC" "storycloze|csv|Story Cloze"; do
    IFS='|' read -r name ext title <<< "$t"
    echo "| $title | $(majority "$name" "$ext" dev) / $(majority "$name" "$ext" test) |" \
         "$(cell "$name" a) | $(cell "$name" b) | $(cell "$name" c) |"
  done
  echo "| MRPC F1 | $(majority mrpc txt dev f1) / $(majority mrpc txt test f1) |" \
       "$(cell mrpc a f1) | $(cell mrpc b f1) | $(cell mrpc c f1) |"
  echo
  echo "SST-2 against pre-training steps (λ 0.5, each at its own best rate), dev / test:"
  echo
  echo "| pre-training steps | 0 | $((STEPS / 4)) | $((STEPS / 2)) | $STEPS |"
  echo "|---|---|---|---|---|"
  echo "| SST-2 | $(cell sst2 c) | $(cell sst2 q1) | $(cell sst2 q2) | $(cell sst2 a) |"
  echo
  echo "(drawn in $WORK/sst2_steps.svg)"
  echo
  echo "$PRESET preset, n_ctx $CTX, $MERGES BPE merges, $STEPS pre-training steps of 8 x $CTX tokens"
  echo "($PRETRAIN_OPTIMIZER, lr $PRETRAIN_LR, warm-up $PRETRAIN_WARMUP steps; $copy_probe);"
  echo "fine-tuning, epochs and at most this many examples (0: all):$(for t in "${tasks[@]}"; do
        IFS='|' read -r name _ _ _ epochs max_train <<< "$t"; printf " %s %s %s;" "$name" "$epochs" "$max_train"; done)"
  echo "rates {$LRS} for every arm, $SCHEDULE, --init $INIT, --clip $CLIP."
  echo "pre-training: $((pretrained - start)) s; fine-tuning and scoring: $((finished - pretrained)) s;" \
       "total $(( $(date +%s) - start )) s"
} | tee "$WORK/table.md"

# --- 7. The second figure as a picture -------------------------------------------------
fraction_of() {  # NAME ARM SPLIT: the chosen rate's accuracy as a fraction
  local base
  base=$(chosen_run "$1" "$2")
  [ -n "$base" ] && value_of "$base.$3" accuracy
}
val_loss_of() { cat "$WORK/$1.ckpt.val"; }  # the LM's on the held-out text, after that leg
{
  echo "pretraining_steps,val_loss,dev_accuracy,test_accuracy"
  echo "0,,$(fraction_of sst2 c dev),$(fraction_of sst2 c test)"
  echo "$((STEPS / 4)),$(val_loss_of pretrained_q1),$(fraction_of sst2 q1 dev),$(fraction_of sst2 q1 test)"
  echo "$((STEPS / 2)),$(val_loss_of pretrained_q2),$(fraction_of sst2 q2 dev),$(fraction_of sst2 q2 test)"
  echo "$STEPS,$(val_loss_of pretrained),$(fraction_of sst2 a dev),$(fraction_of sst2 a test)"
} > "$WORK/sst2_steps.csv"
$GPT plot --log "$WORK/sst2_steps.csv" --out "$WORK/sst2_steps.svg" \
    --title "SST-2 accuracy against pre-training steps ($PRESET, λ 0.5)"
exit
}
