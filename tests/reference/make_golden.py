#!/usr/bin/python3
"""Writes the golden files that tests/test_conformance.c compares gpt1.c against.

    /usr/bin/python3 tests/reference/make_golden.py            # (re)write tests/reference/golden/*.bin
    /usr/bin/python3 tests/reference/make_golden.py --check    # recompute, compare with the committed files
    /usr/bin/python3 tests/reference/make_golden.py --dump tests/reference/golden/nano_gelu.bin

For a nano GPT-1 (2 layers, d 16, 2 heads, d_ff 64, n_ctx 8, vocab 32), once with ReLU
and once with GELU, built in PyTorch by gpt1_reference.py with gpt1.c's own initial
weights (its SplitMix64 + Box-Muller, reproduced bit for bit), the reference computes
in float64:

    init.<param>      the initial weights, float32 (what gpt_init_weights(seed) must give)
    inputs, targets   a [2, 8] batch
    logits            [2, 8, 32] and the loss L1 (the mean cross-entropy)
    grad.<param>      dL/dθ for every parameter (float32, rounded from float64)
    sgd.*             10 plain-SGD steps θ ← θ − η∇θ L on stored batches; the loss before each
    generate.*        12 greedy tokens after a 3-token prompt (15 > n_ctx: the window slides)
    eval.*            evaluate_lm_loss's window rule on 30 tokens (3 windows + a tail of 3)

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
VARIANTS = [("nano_relu", ref.RELU, 20180611), ("nano_gelu", ref.GELU, 20180612)]
BATCH, SEQ = 2, 8
SGD_STEPS, SGD_BATCH, SGD_LR = 10, 4, 0.5
PROMPT, GENERATED, GENERATE_SCALE = [5, 17, 3], 12, 20.0
EVAL_TOKENS = 30


def build(config, weights, dtype=torch.float64, mask=ref.MASK_ORIGINAL):
    torch.set_default_dtype(dtype)
    model = ref.GPT1(config, mask)
    model.load_table(weights)
    return model


def forward_backward(model, inputs, targets):
    model.zero_grad()
    logits = model(torch.tensor(inputs, dtype=torch.long))
    loss = ref.lm_loss(logits, torch.tensor(targets, dtype=torch.long))
    loss.backward()
    return logits.detach().numpy(), float(loss), model.table(grads=True)


def make_variant(name, activation, seed, report):
    config = dict(NANO, activation=activation)
    table = ref.parameter_table(config)
    weights = ref.init_weights(config, seed)
    data = np.random.default_rng(seed)  # only picks the inputs; they are stored in the file

    inputs = data.integers(0, config["vocab_size"], size=(BATCH, SEQ)).astype(np.int32)
    targets = data.integers(0, config["vocab_size"], size=(BATCH, SEQ)).astype(np.int32)
    model = build(config, weights)
    logits, loss, grads = forward_backward(model, inputs, targets)

    # The original release's mask (w·b − 1e9·(1 − b)) and gpt1.c's −inf give the same
    # numbers: exp(−1e9 − max) is exactly 0 in float64 as exp(−inf) is.
    inf_logits, inf_loss, _ = forward_backward(build(config, weights, mask=ref.MASK_INF), inputs, targets)
    assert np.array_equal(inf_logits, logits) and inf_loss == loss

    # What a float32 PyTorch gets wrong against the float64 reference: the yardstick for
    # gpt1.c's float32 errors (docs/conformance.md).
    f32_logits, f32_loss, f32_grads = forward_backward(build(config, weights, torch.float32), inputs, targets)
    torch.set_default_dtype(torch.float64)
    report.append("%s: torch float32 vs float64: logits %.2e, loss %.2e, gradients %.2e (max-norm relative)" % (
        name, scaled_error(f32_logits, logits), abs(f32_loss - loss) / abs(loss),
        max(scaled_error(f32_grads[n], grads[n]) for n, _, _ in table)))

    # The original release's quirk: its tied matrix also held the position rows (and the
    # special tokens), so its softmax ran over them too. What that would change here:
    with torch.no_grad():
        h = extended_hidden(model, torch.tensor(inputs, dtype=torch.long))
        extended = torch.cat([model.wte.weight, model.wpe.weight])  # [vocab + n_ctx, d]
        quirk = float(ref.lm_loss(h @ extended.T, torch.tensor(targets, dtype=torch.long)))
    report.append("%s: loss %.9f; with the original's softmax over token + position rows it would be %.9f" % (
        name, loss, quirk))

    # Plain SGD on a periodic "text" (so that the loss falls), batches drawn and stored here.
    text = np.array([(7 * i) % 11 + (i // 11) % 3 for i in range(200)], dtype=np.int32)
    starts = data.integers(0, len(text) - SEQ, size=(SGD_STEPS, SGD_BATCH))
    sgd_inputs = np.stack([[text[s:s + SEQ] for s in row] for row in starts]).astype(np.int32)
    sgd_targets = np.stack([[text[s + 1:s + SEQ + 1] for s in row] for row in starts]).astype(np.int32)
    sgd_model, sgd_losses = build(config, weights), []
    for step in range(SGD_STEPS):
        _, step_loss, _ = forward_backward(sgd_model, sgd_inputs[step], sgd_targets[step])
        sgd_losses.append(step_loss)
        with torch.no_grad():
            for p in sgd_model.parameters():
                p -= SGD_LR * p.grad
    report.append("%s: SGD losses %s" % (name, " ".join("%.6f" % x for x in sgd_losses)))

    # Greedy generation. At N(0, 0.02) an untrained model mostly repeats its last token,
    # which would hide a wrong window; with the N(0, 0.02) weights multiplied by
    # GENERATE_SCALE (exact in float32 on both sides) every position matters.
    gen_weights = {n: weights[n] * np.float32(GENERATE_SCALE) if init == ref.NORMAL else weights[n]
                   for n, _, init in table}
    gen_model = build(config, gen_weights)
    generated, margin = ref.greedy_generate(gen_model, PROMPT, GENERATED)
    assert margin > 1e-3, "a near tie in greedy generation: pick another prompt"
    report.append("%s: greedy %s (smallest top-1/top-2 gap %.2e)" % (name, generated, margin))
    for wrong in ("first", "short"):  # a wrong window rule changes the tokens
        other = ref.greedy_generate(gen_model, PROMPT, GENERATED, window=wrong)[0]
        assert other != generated, wrong

    eval_ids = data.integers(0, config["vocab_size"], size=EVAL_TOKENS).astype(np.int32)
    eval_loss, scored = ref.evaluate_windows(model, eval_ids.tolist())

    records = [("config", np.array([config[k] for k in ("n_layers", "d_model", "n_heads", "d_ff", "n_ctx",
                                                        "vocab_size", "activation")], dtype=np.int32)),
               ("seed", np.array([seed], dtype=np.int32))]
    records += [("init." + n, weights[n]) for n, _, _ in table]
    records += [("inputs", inputs), ("targets", targets), ("logits", logits), ("loss", np.array([loss]))]
    records += [("grad." + n, grads[n].astype(np.float32)) for n, _, _ in table]
    records += [("sgd.lr", np.array([SGD_LR])), ("sgd.inputs", sgd_inputs), ("sgd.targets", sgd_targets),
                ("sgd.losses", np.array(sgd_losses)),
                ("generate.scale", np.array([GENERATE_SCALE], dtype=np.float32)),
                ("generate.prompt", np.array(PROMPT, dtype=np.int32)),
                ("generate.tokens", np.array(generated, dtype=np.int32)),
                ("eval.tokens", eval_ids), ("eval.loss", np.array([eval_loss])),
                ("eval.scored", np.array([scored], dtype=np.int32))]
    return records


def extended_hidden(model, tokens):
    h = model.wte(tokens) + model.wpe(torch.arange(tokens.shape[1]))
    for block in model.blocks:
        h = block(h)
    return h


def scaled_error(actual, expected):
    """max |a − e| / max |e|: the error relative to the tensor's scale."""
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    return float(np.max(np.abs(actual - expected)) / np.max(np.abs(expected)))


def dump(path):
    for name, array in ref.read_golden(path).items():
        flat = array.reshape(-1)
        head = " ".join(("%d" if array.dtype.kind == "i" else "%.9g") % x for x in flat[:6])
        print("%-36s %-6s %-12s %s%s" % (name, array.dtype.str, list(array.shape), head,
                                        " ..." if flat.size > 6 else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("--dump", metavar="FILE", help="print a golden file's records")
    args = parser.parse_args()
    if args.dump:
        dump(args.dump)
        return 0
    torch.manual_seed(0)  # nothing random is drawn from torch; set for good measure
    report, status = [], 0
    for name, activation, seed in VARIANTS:
        records = make_variant(name, activation, seed, report)
        path = os.path.join(GOLDEN_DIR, name + ".bin")
        if args.check:
            stored = ref.read_golden(path)
            same = list(stored) == [n for n, _ in records] and all(
                np.array_equal(stored[n], np.asarray(a).reshape(stored[n].shape)) for n, a in records)
            report.append("%s: %s" % (path, "identical" if same else "DIFFERENT"))
            status |= 0 if same else 1
        else:
            os.makedirs(GOLDEN_DIR, exist_ok=True)
            ref.write_golden(path, records)
            report.append("%s: %d records, %d bytes" % (path, len(records), os.path.getsize(path)))
    print("\n".join(report))
    return status


if __name__ == "__main__":
    sys.exit(main())
