#!/usr/bin/env bash
# Does a language model copy from its context? The probe of an "induction head": 400
# sentences of a text, each once followed by itself ("A A") and once by the next
# sentence ("A B"). A model that has learned to copy predicts the second A almost
# perfectly, so its mean loss on "A A" falls well below that on "A B" (a little of the
# gap comes from words that merely recur); a model that has not scores the two alike.
# Rules that compare two segments (entailment, paraphrase) rely on the same ability:
# to find, from one segment, the matching words of the other.
# Usage: tests/experiments/copy_probe.sh CKPT TEXT   (TEXT: plain text, e.g. a novel)
# Prints: copy probe: A A X nats, A B Y nats, gap Y − X
set -euo pipefail
[ $# = 2 ] || { echo "usage: tests/experiments/copy_probe.sh CKPT TEXT" >&2; exit 2; }
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Sentences of 60 to 140 characters; the last 802 of them (so past any preface).
tr '\n' ' ' < "$2" | sed 's/\([.!?]\) \+/\1\n/g' | awk 'length($0) > 60 && length($0) < 140' > "$tmp/all"
total=$(wc -l < "$tmp/all")
[ "$total" -ge 802 ] || { echo "copy_probe.sh: $2: only $total sentences of 60 to 140 characters, 802 needed" >&2; exit 2; }
tail -n 802 "$tmp/all" > "$tmp/picked"
awk 'NR % 2 == 1 { a = $0 } NR % 2 == 0 { print a " " a > "'"$tmp/aa"'"; print a " " $0 > "'"$tmp/ab"'" }' "$tmp/picked"
loss_of() { build/gpt eval --ckpt "$1" --data "$2" 2> /dev/null | awk '$1 == "loss:" { print $2 }'; }
aa=$(loss_of "$1" "$tmp/aa") ab=$(loss_of "$1" "$tmp/ab")
[ -n "$aa" ] && [ -n "$ab" ] || { echo "copy_probe.sh: gpt eval failed on $1" >&2; exit 1; }
awk -v aa="$aa" -v ab="$ab" 'BEGIN { printf "copy probe: A A %.3f nats, A B %.3f nats, gap %.3f\n", aa, ab, ab - aa }'
