#!/usr/bin/python3
"""Writes the golden files that tests/test_conformance.c compares gpt1.c against.

    /usr/bin/python3 tests/reference/make_golden.py            # (re)write tests/reference/golden/*.bin
    /usr/bin/python3 tests/reference/make_golden.py --check    # recompute, compare with the committed files
    /usr/bin/python3 tests/reference/make_golden.py --dump tests/reference/golden/nano_gelu.bin

For a nano GPT-1 (2 layers, d 16, 2 heads, d_ff 64, n_ctx 8, vocab 32) built in PyTorch
by gpt1_reference.py, once with ReLU and once with GELU, the reference computes in
float64:

  nano_init.bin (shared by both activations)
    seed, init.<param>   gpt1.c's initial weights for that seed, float32, reproduced with
                         its own SplitMix64 + Box-Muller: what gpt_init_weights must give
  nano_relu.bin, nano_gelu.bin
    config               n_layers, d_model, n_heads, d_ff, n_ctx, vocab_size, activation
    inputs, targets      a [2, 8] batch
    logits, loss         at the initial weights: [2, 8, 32] and L1 (the mean cross-entropy)
    grad.<param>         dL/dθ of every parameter at the initial weights (float32)
    spread.*             the same for weights in a trained model's range (see below)
    sgd.*                10 plain-SGD steps θ ← θ − η∇θ L from the initial weights on stored
                         batches, and the loss before each step
    generate.*           12 greedy tokens after a 3-token prompt (15 > n_ctx: the window
                         slides), from the spread weights
    eval.*               evaluate_lm_loss's window rule on 30 tokens (3 windows + a tail of 3),
                         spread weights

Why the spread weights: at N(0, 0.02) every attention softmax is nearly uniform, GELU and
ReLU see inputs near 0 where any GELU form agrees, biases are 0 and gains 1. A missing
1/√d_head or an erf GELU then changes the logits by less than float32 noise. With
spread.seed and spread.std (weights N(0, 0.4²); biases and LayerNorm gains their init plus
N(0, 0.2²), one SplitMix64 stream in table order) the C test rebuilds the same weights.

The file format is in gpt1_reference.py (write_golden) and docs/conformance.md.
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt1_reference as ref  # noqa: E402

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
NANO = dict(n_layers=2, d_model=16, n_heads=2, d_ff=64, n_ctx=8, vocab_size=32)
INIT_SEED = 20180611                                # the GPT-1 release date
SPREAD_SEED, SPREAD_STD = 3, (np.float32(0.4), np.float32(0.2))
VARIANTS = [("nano_relu", ref.RELU), ("nano_gelu", ref.GELU)]
BATCH, SEQ = 2, 8
SGD_STEPS, SGD_BATCH, SGD_LR = 10, 4, 0.5
PROMPT, GENERATED = [5, 17, 3], 12
EVAL_TOKENS = 30


def build(config, weights, dtype=torch.float64, mask=ref.MASK_ORIGINAL):
    torch.set_default_dtype(dtype)
    model = ref.GPT1(config, mask)
    model.load_table(weights)
    torch.set_default_dtype(torch.float64)
    return model


def forward_backward(model, inputs, targets):
    model.zero_grad()
    logits = model(torch.tensor(inputs, dtype=torch.long))
    loss = ref.lm_loss(logits, torch.tensor(targets, dtype=torch.long))
    loss.backward()
    return logits.detach().numpy().astype(np.float64), float(loss), model.table(grads=True)


def scaled_error(actual, expected):
    """max |a − e| / max |e|: the error relative to the tensor's scale (as the C test measures)."""
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    return float(np.max(np.abs(actual - expected)) / np.max(np.abs(expected)))


def forward_records(prefix, config, weights, inputs, targets, label, report):
    """logits, loss and every gradient, in float64; plus what float32 PyTorch and the
    original release's −1e9 mask would make of the same computation."""
    table = ref.parameter_table(config)
    logits, loss, grads = forward_backward(build(config, weights), inputs, targets)

    # The original release's mask (w·b − 1e9·(1 − b), used by build()) and gpt1.c's −inf
    # give the same numbers: exp(−1e9 − max) is exactly 0 in float64, as exp(−inf) is.
    inf_logits, inf_loss, _ = forward_backward(build(config, weights, mask=ref.MASK_INF), inputs, targets)
    assert np.array_equal(inf_logits, logits) and inf_loss == loss

    # PyTorch's own float32 error against float64: the yardstick for gpt1.c's tolerances.
    f32_logits, f32_loss, f32_grads = forward_backward(build(config, weights, torch.float32), inputs, targets)
    report.append("%s: loss %.9f; torch float32 vs float64: logits %.1e, loss %.1e, gradients %.1e" % (
        label, loss, scaled_error(f32_logits, logits), abs(f32_loss - loss) / abs(loss),
        max(scaled_error(f32_grads[n], grads[n]) for n, _, _ in table)))

    records = [(prefix + "logits", logits), (prefix + "loss", np.array([loss]))]
    records += [(prefix + "grad." + n, grads[n].astype(np.float32)) for n, _, _ in table]
    return records


def original_softmax_loss(config, weights, inputs, targets):
    """The original release's quirk: its tied matrix also held the position rows (and the
    special tokens), so its output softmax ran over them as well."""
    model = build(config, weights)
    with torch.no_grad():
        tokens = torch.tensor(inputs, dtype=torch.long)
        h = model.wte(tokens) + model.wpe(torch.arange(tokens.shape[1]))
        for block in model.blocks:
            h = block(h)
        extended = torch.cat([model.wte.weight, model.wpe.weight])  # [vocab + n_ctx, d]
        return float(ref.lm_loss(h @ extended.T, torch.tensor(targets, dtype=torch.long)))


def make_variant(name, activation, init, report):
    config = dict(NANO, activation=activation)
    table = ref.parameter_table(config)
    spread = ref.spread_weights(config, SPREAD_SEED, *SPREAD_STD)
    data = np.random.default_rng(INIT_SEED + activation)  # only picks inputs; they are stored
    inputs = data.integers(0, config["vocab_size"], size=(BATCH, SEQ)).astype(np.int32)
    targets = data.integers(0, config["vocab_size"], size=(BATCH, SEQ)).astype(np.int32)

    records = [("config", np.array([config[k] for k in ("n_layers", "d_model", "n_heads", "d_ff", "n_ctx",
                                                        "vocab_size", "activation")], dtype=np.int32)),
               ("inputs", inputs), ("targets", targets)]
    records += forward_records("", config, init, inputs, targets, name + " init", report)
    records += [("spread.seed", np.array([SPREAD_SEED], dtype=np.int32)),
                ("spread.std", np.array(SPREAD_STD, dtype=np.float32))]
    records += forward_records("spread.", config, spread, inputs, targets, name + " spread", report)
    report.append("%s: with the original's softmax over token + position rows the losses would be %.6f "
                  "(init) and %.6f (spread)" % (name, original_softmax_loss(config, init, inputs, targets),
                                                original_softmax_loss(config, spread, inputs, targets)))

    # Plain SGD from the initial weights on a periodic "text" (so that the loss falls).
    text = np.array([(7 * i) % 11 + (i // 11) % 3 for i in range(200)], dtype=np.int32)
    starts = data.integers(0, len(text) - SEQ, size=(SGD_STEPS, SGD_BATCH))
    sgd_inputs = np.stack([[text[s:s + SEQ] for s in row] for row in starts]).astype(np.int32)
    sgd_targets = np.stack([[text[s + 1:s + SEQ + 1] for s in row] for row in starts]).astype(np.int32)
    sgd_model, sgd_losses = build(config, init), []
    for step in range(SGD_STEPS):
        _, step_loss, _ = forward_backward(sgd_model, sgd_inputs[step], sgd_targets[step])
        sgd_losses.append(step_loss)
        with torch.no_grad():
            for p in sgd_model.parameters():
                p -= SGD_LR * p.grad
    report.append("%s: SGD losses %s" % (name, " ".join("%.6f" % x for x in sgd_losses)))
    records += [("sgd.lr", np.array([SGD_LR])), ("sgd.inputs", sgd_inputs), ("sgd.targets", sgd_targets),
                ("sgd.losses", np.array(sgd_losses))]

    # Greedy generation from the spread weights (at N(0, 0.02) an untrained model mostly
    # repeats its last token, which would hide a wrong window).
    spread_model = build(config, spread)
    generated, margin = ref.greedy_generate(spread_model, PROMPT, GENERATED)
    assert margin > 1e-3, "a near tie in greedy generation: pick another prompt"
    for wrong in ("first", "short"):  # a wrong window rule gives other tokens
        assert ref.greedy_generate(spread_model, PROMPT, GENERATED, window=wrong)[0] != generated, wrong
    report.append("%s: greedy %s (smallest top-1/top-2 logit gap %.2e)" % (name, generated, margin))
    records += [("generate.prompt", np.array(PROMPT, dtype=np.int32)),
                ("generate.tokens", np.array(generated, dtype=np.int32))]

    eval_ids = data.integers(0, config["vocab_size"], size=EVAL_TOKENS).astype(np.int32)
    eval_loss, scored = ref.evaluate_windows(spread_model, eval_ids.tolist())
    report.append("%s: evaluation loss %.9f over %d predictions" % (name, eval_loss, scored))
    records += [("eval.tokens", eval_ids), ("eval.loss", np.array([eval_loss])),
                ("eval.scored", np.array([scored], dtype=np.int32))]
    return records


def dump(path):
    for name, array in ref.read_golden(path).items():
        flat = array.reshape(-1)
        head = " ".join(("%d" if array.dtype.kind == "i" else "%.9g") % x for x in flat[:6])
        print("%-36s %-4s %-12s %s%s" % (name, array.dtype.str, list(array.shape), head,
                                        " ..." if flat.size > 6 else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("--dump", metavar="FILE", help="print a golden file's records")
    args = parser.parse_args()
    if args.dump:
        dump(args.dump)
        return 0
    torch.set_default_dtype(torch.float64)
    init = ref.init_weights(dict(NANO, activation=ref.RELU), INIT_SEED)  # the activation draws nothing
    table = ref.parameter_table(dict(NANO, activation=ref.RELU))
    files = [("nano_init", [("seed", np.array([INIT_SEED], dtype=np.int32))] +
              [("init." + n, init[n]) for n, _, _ in table])]
    report, status = [], 0
    files += [(name, make_variant(name, activation, init, report)) for name, activation in VARIANTS]
    for name, records in files:
        path = os.path.join(GOLDEN_DIR, name + ".bin")
        if args.check:
            stored = ref.read_golden(path)
            same = list(stored) == [n for n, _ in records] and all(
                np.array_equal(stored[n], np.asarray(a).reshape(stored[n].shape)) for n, a in records)
            report.append("%s: %s" % (os.path.relpath(path), "identical" if same else "DIFFERENT"))
            status |= 0 if same else 1
        else:
            os.makedirs(GOLDEN_DIR, exist_ok=True)
            ref.write_golden(path, records)
            report.append("%s: %d records, %d bytes" % (os.path.relpath(path), len(records), os.path.getsize(path)))
    print("\n".join(report))
    return status


if __name__ == "__main__":
    sys.exit(main())
