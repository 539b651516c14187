#!/bin/sh
# Keeps corrected statements corrected. Each line of the list below is a statement that
# was once in a file and was wrong: the file, the words as they stood, and what is true
# instead. None of them may come back.
#
#   tests/check_retired_claims.sh [ROOT]      check the files at ROOT (default: .)
#   tests/check_retired_claims.sh --self-test prove that a statement put back is caught
# Needs only sh, grep and sed.
set -u

# file @ the wrong words (a fixed string) @ what is true
retired() {
    cat <<'EOF'
docs/conformance.md@the same places and rate@the original drops the embedding matrix itself (one mask per vocabulary row), not h0
gpt/sgd.h@as the paper's equations describe it@the paper trained with Adam; plain SGD is this project's choice, from its specification
docs/differences.md@| tokenizer | BPE over words@this code's tokenizer is bytes, characters or a BPE of gpt bpe-train; the 40,478 tokens are the paper's
docs/finetuning.md@Pearson correlation for regression)@regression keeps the epoch of the lowest dev MSE (dev_selection_score)
tutorials/README.md@stops at the first claim@make tutorials runs every program and reports every claim that fails
tutorials/04_attention.md@second argument of `attention_create`@the heads are attention_create's fifth argument
tutorials/05_decoder_block.md@may fail now and then@the ReLU check fails on every run, at the kink
EOF
}

check() {
    root=$1
    found=0
    checked=0
    retired | {
        while IFS='@' read -r file words truth; do
            checked=$((checked + 1))
            if [ ! -f "$root/$file" ]; then
                echo "retired claims: $file is gone: update the list in tests/check_retired_claims.sh"
                found=$((found + 1))
            elif grep -qF -- "$words" "$root/$file"; then
                echo "retired claims: $file says \"$words\" again, which is wrong: $truth"
                found=$((found + 1))
            fi
        done
        [ "$found" -eq 0 ] || exit 1
        echo "retired claims: none of the $checked corrected statements is back"
    }
}

if [ "${1:-}" = "--self-test" ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    retired | while IFS='@' read -r file rest; do
        mkdir -p "$scratch/$(dirname "$file")"
        cp "$file" "$scratch/$file"
    done
    check "$scratch" >/dev/null || { echo "retired claims self-test: the files fail as they are"; exit 1; }
    echo "| tokenizer | BPE over words, 40,478 tokens | byte-level BPE, 50,257 tokens |" >> "$scratch/docs/differences.md"
    if check "$scratch" >/dev/null; then
        echo "retired claims self-test: the old tokenizer row, put back, was not caught"
        exit 1
    fi
    echo "retired claims self-test: a corrected statement put back is caught"
    exit 0
fi

check "${1:-.}"
