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
    sgd_clipped.*        the same batches with 3 warm-up steps, cosine decay and the
                         gradient's norm clipped to 0.25: the losses and the norms before clipping
    adam.*               the same batches with torch.optim.Adam (lr 0.01, betas 0.9 and 0.999,
                         eps 1e-8): the loss before each step
    generate.*           12 greedy tokens after a 3-token prompt (15 > n_ctx: the window
                         slides), from the spread weights
    eval.*               evaluate_lm_loss's window rule on 30 tokens (3 windows + a tail of 3),
                         spread weights
  nano_heads.bin (the fine-tuning half; GELU, the 32 text tokens + <s> $ <e> = vocabulary 35)
    config, task_tokens  the pre-trained nano's config; the ids of <s>, $ and <e>
    finetune.*           task_model_from_pretrained(seed): the task tokens' rows and the head,
                         as gpt_init_weights draws them over the task model's table
    <case>.*             for classify (λ 0.5 and λ 0), entail, similar_concat, similar_add,
                         similar_regression and choice (3 options), at spread weights over the
                         task model's table: the head config, λ, the examples' fields, the
                         padded batch (tokens, lm_targets, extract_rows), logits, L2, L1, L3
                         and the gradient of every parameter (not for entail: classify's head)

Why the spread weights: at N(0, 0.02) every attention softmax is nearly uniform, GELU and
ReLU see inputs near 0 where any GELU form agrees, biases are 0 and gains 1. A missing
1/√d_head or an erf GELU then changes the logits by less than float32 noise. With
spread.seed and spread.std (weights N(0, 0.4²); biases and LayerNorm gains their init plus
N(0, 0.2²), one SplitMix64 stream in table order) the C test rebuilds the same weights.

The file format is in gpt1_reference.py (write_golden) and docs/conformance.md. The float64
numbers can differ in their last bits with the BLAS library torch uses; --check accepts
that (and regenerating keeps such a file), see compare_with_file.
"""

import argparse
import math
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
# The clipped, warmed-up run: lr · (s + 1) / warm-up for the first steps, then cosine decay
# to 0 over the rest (gpt/sgd.c learning_rate_at), the gradient's norm clipped to CLIP.
CLIPPED_WARMUP, CLIPPED_NORM = 3, 0.25
ADAM_LR = 0.01  # Adam moves each weight by about lr a step, whatever its gradient's scale
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



def clipped_learning_rate(step):
    """gpt/sgd.c learning_rate_at with warm-up and cosine decay."""
    if step < CLIPPED_WARMUP:
        return SGD_LR * (step + 1) / CLIPPED_WARMUP
    progress = (step - CLIPPED_WARMUP) / (SGD_STEPS - CLIPPED_WARMUP)
    return SGD_LR * 0.5 * (1.0 + math.cos(math.pi * progress))


def clipped_sgd_records(name, config, init, inputs, targets, report):
    """The same batches as sgd.*, with warm-up, cosine decay and the gradient clipped."""
    model, losses, norms = build(config, init), [], []
    for step in range(SGD_STEPS):
        _, step_loss, _ = forward_backward(model, inputs[step], targets[step])
        losses.append(step_loss)
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), CLIPPED_NORM)))
        with torch.no_grad():
            for p in model.parameters():
                p -= clipped_learning_rate(step) * p.grad
    assert sum(n > CLIPPED_NORM for n in norms) >= SGD_STEPS // 2, "clip at most steps, or the case tests little"
    report.append("%s: clipped SGD losses %s (norms before clipping %s)" % (
        name, " ".join("%.6f" % x for x in losses), " ".join("%.3f" % x for x in norms)))
    return [("sgd_clipped.lr", np.array([SGD_LR])), ("sgd_clipped.warmup", np.array([CLIPPED_WARMUP], dtype=np.int32)),
            ("sgd_clipped.clip", np.array([CLIPPED_NORM])), ("sgd_clipped.losses", np.array(losses)),
            ("sgd_clipped.norms", np.array(norms))]

def adam_records(name, config, init, inputs, targets, report):
    """The same batches as sgd.*, with PyTorch's Adam: gpt/sgd.c adam_step."""
    model, losses = build(config, init), []
    adam = torch.optim.Adam(model.parameters(), lr=ADAM_LR, betas=(0.9, 0.999), eps=1e-8)
    for step in range(SGD_STEPS):
        _, step_loss, _ = forward_backward(model, inputs[step], targets[step])
        losses.append(step_loss)
        adam.step()
    report.append("%s: Adam losses %s" % (name, " ".join("%.6f" % x for x in losses)))
    return [("adam.lr", np.array([ADAM_LR])), ("adam.losses", np.array(losses))]

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
    records += clipped_sgd_records(name, config, init, sgd_inputs, sgd_targets, report)
    records += adam_records(name, config, init, sgd_inputs, sgd_targets, report)

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


# --- The fine-tuning heads (nano_heads.bin) ----------------------------------------------

HEADS_ACTIVATION = ref.GELU  # the heads do not depend on it; GELU is the paper's
LAMBDA = 0.5                 # the paper's λ
FINETUNE_SEED = 7            # task_model_from_pretrained's seed for the new rows and the head
HEADS_DATA_SEED = 1
# The examples' field lengths (token ids are drawn at random). n_ctx 8 leaves 6 tokens for a
# classification text and 5 for two fields, so some are truncated: the longest field loses
# its last token, ties go to the first field. Every batch has sequences of unequal lengths,
# so padding is exercised; the graded set's longest sequence (7) is shorter than n_ctx.
EXAMPLE_SETS = {
    "classify": [(3,), (9,), (1,)],            # 5, 8 (9 → 6), 3 tokens
    "entail": [(2, 2), (4, 2), (3, 3)],        # 7; (4, 2) → (3, 2); (3, 3) → (2, 3): a tie
    "similar": [(2, 1), (3, 3), (5, 1)],       # 6; (3, 3) → (2, 3) in both orders; (5, 1) → (4, 1)
    "graded": [(2, 1), (1, 1), (3, 1)],        # 6, 5, 7: no truncation
    "choice": [(3, 1, 4, 2), (2, 3, 1, 2)],    # 3 options each: 7, 8 ((3, 4) → (2, 3)), 8; 8, 6, 7
}
LABELS = {"classify": [1, 0, 1], "entail": [2, 0, 1], "similar": [1, 0, 1], "graded": [0, 0, 0], "choice": [1, 0]}
GRADED_TARGETS = [3.8, 1.2, 4.6]
# name, head, λ, example set, whether the gradients are stored. Entailment has the
# classification head: its own gradients would only repeat classify's, so it is
# checked through its tokens, logits and losses (and keeps the file small).
HEAD_CASES = [
    ("classify", ref.task_head(ref.TASK_CLASSIFY, 2), LAMBDA, "classify", True),
    ("classify_lambda0", ref.task_head(ref.TASK_CLASSIFY, 2), 0.0, "classify", True),
    ("entail", ref.task_head(ref.TASK_ENTAIL, 3), LAMBDA, "entail", False),
    ("similar_concat", ref.task_head(ref.TASK_SIMILAR, 2, ref.COMBINE_CONCAT), LAMBDA, "similar", True),
    ("similar_add", ref.task_head(ref.TASK_SIMILAR, 2, ref.COMBINE_ADD), LAMBDA, "similar", True),
    ("similar_regression", ref.task_head(ref.TASK_SIMILAR, 1, ref.COMBINE_CONCAT, True), LAMBDA, "graded", True),
    ("choice", ref.task_head(ref.TASK_CHOICE, 1), LAMBDA, "choice", True),
]


def gradient_error(actual, expected):
    """scaled_error, or max |a| when the reference is 0 (as the C test measures)."""
    if not np.any(expected):
        return float(np.max(np.abs(actual)))
    return scaled_error(actual, expected)


def head_record(head):
    """gpt1.c's TaskHeadConfig: task, n_outputs, combine, regression."""
    return np.array([head["task"], head["n_outputs"], head["combine"], int(head["regression"])], dtype=np.int32)


def example_sets():
    data = np.random.default_rng(HEADS_DATA_SEED)
    return {name: [[data.integers(0, NANO["vocab_size"], size=n).tolist() for n in lengths] for lengths in sets]
            for name, sets in EXAMPLE_SETS.items()}


def run_task(model, head, examples, labels, targets, lam, **variant):
    model.zero_grad()
    n_text = NANO["vocab_size"]
    sequences = [ref.task_sequences(head["task"], fields, NANO["n_ctx"], n_text) for fields in examples]
    logits, l2, l1, l3 = ref.task_losses(model, sequences, labels, targets, lam, ref.task_token_ids(n_text)[2],
                                         **variant)
    if variant:
        return float(l1)
    l3.backward()
    return (logits.detach().numpy().astype(np.float64), float(l2), None if l1 is None else float(l1), float(l3),
            model.table(grads=True))


def check_padding(model, sequences, tokens, rows):
    """The padded batch gives the same states at <e> as every sequence alone: right padding
    changes nothing before it (causal attention). Left padding would move them."""
    with torch.no_grad():
        alone = torch.stack([model.hidden(torch.tensor([s]))[0, -1] for s in sequences])
        d = model.config["d_model"]
        padded = model.hidden(torch.tensor(tokens, dtype=torch.long)).reshape(-1, d)[torch.tensor(rows, dtype=torch.long)]
        assert torch.allclose(alone, padded, rtol=0, atol=1e-12)
        seq = tokens.shape[1]
        left = np.array([[0] * (seq - len(s)) + s for s in sequences], dtype=np.int64)
        moved = model.hidden(torch.tensor(left))[:, -1]
        assert (moved - alone).abs().max() > 1e-2


def make_heads(init, report):
    n_text = NANO["vocab_size"]
    lm_config = dict(NANO, activation=HEADS_ACTIVATION)
    records = [("config", np.array([lm_config[k] for k in ("n_layers", "d_model", "n_heads", "d_ff", "n_ctx",
                                                           "vocab_size", "activation")], dtype=np.int32)),
               ("task_tokens", np.array(ref.task_token_ids(n_text), dtype=np.int32))]

    # task_model_from_pretrained: gpt_init_weights(seed) of the task model's whole table (the
    # token rows first, the head last), then the pre-trained weights copied over: what is
    # left of the draws are the three task-token rows and the head.
    first_head = HEAD_CASES[0][1]
    task_config = dict(lm_config, vocab_size=n_text + ref.N_TASK_TOKENS, head=first_head)
    fresh = ref.init_weights(task_config, FINETUNE_SEED)
    records += [("finetune.seed", np.array([FINETUNE_SEED], dtype=np.int32)), ("finetune.head", head_record(first_head)),
                ("finetune.task_rows", fresh["wte.weight"][n_text:]), ("finetune.head.weight", fresh["head.weight"]),
                ("finetune.head.bias", fresh["head.bias"])]

    records += [("spread.seed", np.array([SPREAD_SEED], dtype=np.int32)),
                ("spread.std", np.array(SPREAD_STD, dtype=np.float32))]
    sets = example_sets()
    for name, head, lam, set_name, with_gradients in HEAD_CASES:
        config = dict(task_config, head=head)
        weights = ref.spread_weights(config, SPREAD_SEED, *SPREAD_STD)
        examples, labels = sets[set_name], LABELS[set_name]
        targets = np.array(GRADED_TARGETS if head["regression"] else [0.0] * len(examples), dtype=np.float32)
        sequences = [ref.task_sequences(head["task"], f, NANO["n_ctx"], n_text) for f in examples]
        flat = [s for example in sequences for s in example]
        tokens, lm_targets, rows = ref.padded_batch(flat)
        assert len(set(len(s) for s in flat)) > 1, "padding is not exercised"
        model = build(config, weights)
        check_padding(model, flat, tokens, rows)
        logits, l2, l1, l3, grads = run_task(model, head, examples, labels, targets, lam)
        for n in grads:  # mathematically 0 (the choice head's bias): stored as exactly 0
            if np.max(np.abs(grads[n])) < 1e-12:
                report.append("%s: grad.%s is 0 (float64 rounding: %.1e); stored as 0" % (
                    name, n, np.max(np.abs(grads[n]))))
                grads[n] = np.zeros_like(grads[n])

        p = name + "."
        n_fields = len(examples[0])
        records += [(p + "head", head_record(head)), (p + "lambda", np.array([lam])),
                    (p + "field_lengths", np.array([[len(f) for f in e] for e in examples], dtype=np.int32)),
                    (p + "fields", np.array([t for e in examples for f in e for t in f], dtype=np.int32)),
                    (p + "labels", np.array(labels, dtype=np.int32)), (p + "targets", targets),
                    (p + "tokens", tokens), (p + "lm_targets", lm_targets), (p + "extract_rows", rows),
                    (p + "logits", logits), (p + "l2", np.array([l2]))]
        records += [(p + "l1", np.array([l1]))] if l1 is not None else []
        records += [(p + "l3", np.array([l3]))]
        if with_gradients:
            records += [(p + "grad." + n, grads[n].astype(np.float32)) for n, _, _ in ref.parameter_table(config)]
        assert n_fields == len(EXAMPLE_SETS[set_name][0])

        # PyTorch's own float32 (the yardstick), and what the original release would compute.
        f32_logits, f32_l2, f32_l1, f32_l3, f32_grads = run_task(build(config, weights, torch.float32), head,
                                                                 examples, labels, targets, lam)
        line = "%s: L2 %.9f, L1 %s, L3 %.9f; torch float32 vs float64: logits %.1e, L2 %.1e, L1 %s, L3 %.1e" % (
            name, l2, "-" if l1 is None else "%.9f" % l1, l3, scaled_error(f32_logits, logits), abs(f32_l2 - l2) / l2,
            "-" if l1 is None else "%.1e" % (abs(f32_l1 - l1) / l1), abs(f32_l3 - l3) / l3)
        if with_gradients:
            line += ", gradients %.1e" % max(gradient_error(f32_grads[n], grads[n]) for n in grads)
        report.append(line)
        if lam != 0:
            per_sequence = run_task(model, head, examples, labels, targets, lam, lm_mean="sequences")
            extended = run_task(model, head, examples, labels, targets, lam, extended_softmax=True)
            original = [ref.task_sequences(head["task"], f, NANO["n_ctx"], n_text,
                                           fit=lambda f, budget: ref.original_fit_fields(f, NANO["n_ctx"]))
                        for f in examples]
            changed = sum(a != b for e, o in zip(sequences, original) for a, b in zip(e, o))
            report.append("%s: the original release would give L1 %.6f (per-sequence mean), %.6f (softmax over "
                          "token + position rows)%s" % (name, per_sequence, extended, "" if n_fields == 1 else
                                                        "; its truncation would change %d of %d sequences" % (
                                                            changed, len(flat))))
            assert abs(per_sequence - l1) / l1 > 1e-3 and abs(extended - l1) / l1 > 1e-3
    return records


def dump(path):
    for name, array in ref.read_golden(path).items():
        flat = array.reshape(-1)
        head = " ".join(("%d" if array.dtype.kind == "i" else "%.9g") % x for x in flat[:6])
        print("%-36s %-4s %-12s %s%s" % (name, array.dtype.str, list(array.shape), head,
                                        " ..." if flat.size > 6 else ""))


# The float64 results depend in their last bits on the BLAS library torch calls (Debian's
# reference libblas3 or OpenBLAS, whichever the libblas.so.3 alternative points to): a
# stored file that differs from a recomputation by no more than this (max |diff| / max |value|
# per record; float32 records: one rounding step) is the same golden.
ROUNDING = {np.dtype("<f8"): 1e-12, np.dtype("<f4"): 2.0 ** -22}


def compare_with_file(path, records):
    """"identical", "same to float64 rounding (...)", "DIFFERENT" or "MISSING"."""
    if not os.path.exists(path):
        return "MISSING"
    stored = ref.read_golden(path)
    if list(stored) != [n for n, _ in records]:
        return "DIFFERENT"
    worst = 0.0
    for n, a in records:
        a = np.asarray(a).reshape(stored[n].shape)
        if np.array_equal(stored[n], a):
            continue
        if stored[n].dtype.kind == "i":
            return "DIFFERENT"
        e = scaled_error(stored[n], a) if np.any(a) else float(np.max(np.abs(stored[n])))
        if e > ROUNDING[stored[n].dtype]:
            return "DIFFERENT"
        worst = max(worst, e)
    return "identical" if worst == 0 else "same to float64 rounding (%.1e: another BLAS?)" % worst


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
    files += [("nano_heads", make_heads(init, report))]
    for name, records in files:
        path = os.path.join(GOLDEN_DIR, name + ".bin")
        verdict = compare_with_file(path, records)
        if args.check:
            report.append("%s: %s" % (os.path.relpath(path), verdict))
            status |= verdict in ("MISSING", "DIFFERENT")
        elif verdict.startswith("same"):  # keep the committed file: no churn from a BLAS change
            report.append("%s: kept, %s" % (os.path.relpath(path), verdict))
        else:
            os.makedirs(GOLDEN_DIR, exist_ok=True)
            ref.write_golden(path, records)
            report.append("%s: %d records, %d bytes" % (os.path.relpath(path), len(records), os.path.getsize(path)))
    print("\n".join(report))
    return status


if __name__ == "__main__":
    sys.exit(main())
