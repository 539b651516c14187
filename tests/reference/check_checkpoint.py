#!/usr/bin/python3
"""Reads a gpt1.c checkpoint without gpt1.c and reproduces `gpt eval` in PyTorch.

    /usr/bin/python3 tests/reference/check_checkpoint.py CKPT DATA [--gpt build/gpt]

Parses the file as docs/checkpoint_format.md describes it (magic, version, declared size,
CRC-32, config, tokenizer, training state, parameter table, values), checks the table
against the parameter names and shapes of gpt1_reference.py, rebuilds the model in
PyTorch (float64), encodes DATA with the checkpoint's tokenizer and applies the window
rule of evaluate_lm_loss: consecutive windows of n_ctx + 1 tokens, a tail of at least 2
tokens as one shorter window, the mean over every prediction. Prints `loss: X`.

With --gpt PROGRAM it also runs `PROGRAM eval --ckpt CKPT --data DATA`, reads its
`loss:` line and exits 1 unless the two agree to 1e-5 (relative).
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt1_reference as ref  # noqa: E402

TOLERANCE = 1e-5
TOKENIZERS = {0: "bytes", 1: "chars", 2: "bpe", 3: "gpt1"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ckpt")
    parser.add_argument("data")
    parser.add_argument("--gpt", metavar="PROGRAM", help="also run PROGRAM eval and compare")
    args = parser.parse_args()

    try:
        ckpt = ref.read_checkpoint(args.ckpt)
    except ref.CheckpointError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    config, tok = ckpt["config"], ckpt["tokenizer"]
    print("checkpoint: %s (CRC ok), step %d" % (args.ckpt, ckpt["step"]))
    print("model: %d layers, d_model %d, %d heads, d_ff %d, n_ctx %d, vocab %d, %s, dropout %g" % (
        config["n_layers"], config["d_model"], config["n_heads"], config["d_ff"], config["n_ctx"],
        config["vocab_size"], ref.ACTIVATION_NAMES[config["activation"]], config["dropout"]))
    print("tokenizer: %s, %d text tokens, %d task tokens" % (TOKENIZERS.get(tok["kind"], "?"), tok["n_text"],
                                                              tok["n_task"]))
    if config["head_task"] != 0:
        print("note: the task head (task %d, labels %s) is not part of the language model and is ignored" % (
            config["head_task"], ckpt["labels"]))

    expected = [(name, tuple(shape)) for name, shape, _ in ref.parameter_table(config)]
    stored = [(name, tuple(shape)) for name, shape, _ in ckpt["table"] if not name.startswith("head.")]
    if stored != expected:
        print("error: the parameter table differs from the reference's", file=sys.stderr)
        return 1
    offsets = [offset for _, _, offset in ckpt["table"]]
    sizes = [int(np.prod(shape)) for _, shape, _ in ckpt["table"]]
    assert offsets == list(np.cumsum([0] + sizes[:-1])), "parameters are not packed in table order"

    torch.set_default_dtype(torch.float64)
    model = ref.GPT1(config)
    model.load_table({name: ckpt["weights"][name] for name, _ in expected})
    model.eval()  # dropout is not part of this model at all: evaluation has none
    try:
        ids = ref.encode(tok, open(args.data, "rb").read())
    except ref.CheckpointError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    loss, scored = ref.evaluate_windows(model, ids)
    print("%d tokens, %d predictions scored" % (len(ids), scored))
    print("loss: %.9f" % loss)

    if args.gpt:
        out = subprocess.run([args.gpt, "eval", "--ckpt", args.ckpt, "--data", args.data], check=True,
                             capture_output=True, text=True).stdout
        theirs = float(next(line for line in out.splitlines() if line.startswith("loss:")).split()[1])
        relative = abs(theirs - loss) / abs(loss)
        print("gpt eval: loss %.6f; relative difference %.1e (tolerance %.0e): %s" % (
            theirs, relative, TOLERANCE, "agree" if relative <= TOLERANCE else "DIFFER"))
        return 0 if relative <= TOLERANCE else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
