#!/bin/sh
# The last "Try this" prompt of tutorials/04_attention.md, cut short: train the nano
# preset briefly on the embedded corpus (this documentation) and draw one head of each
# block with gpt attention. docs/pictures.md has the recipe for heads worth looking at.
#   tutorials/try/04_picture.sh BUILD    (make try T=04 V=picture)
set -eu
gpt=$1/gpt
dir=$1/try/04_picture
mkdir -p "$dir"
"$gpt" pretrain --preset nano --tokenizer chars --steps 200 --eval-every 0 --sample-tokens 0 --quiet \
    --out "$dir/nano.ckpt"
for layer in 0 1 2; do
    "$gpt" attention --ckpt "$dir/nano.ckpt" --text "the model reads the text" --layer $layer --head 0 \
        --out "$dir/layer$layer.svg"
    grep -q '<svg' "$dir/layer$layer.svg"
done
echo "  ok  three heatmaps, one head of each block: $dir/layer0.svg to layer2.svg (open them in a browser)"
