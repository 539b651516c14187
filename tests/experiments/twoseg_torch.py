#!/usr/bin/python3
"""Fine-tuning on the synthetic tasks of twoseg_data.py in PyTorch, with the reference
model of tests/reference/gpt1_reference.py (written independently of gpt1.c).

Two uses:
  --compare LOG   replays `gpt finetune` step by step: the same pre-trained weights, the
                  same new weights (gpt1.c's PRNG), the same example order (its shuffle),
                  the same batches; prints the largest difference of L2, L1 and L3 against
                  the CSV log that `gpt finetune --log LOG` wrote. A defect anywhere in the
                  training loop, the batches or the heads shows up as a gap.
  (default)       trains with the optimiser given (sgd or adam) and prints the best dev
                  accuracy: is the task learnable by this architecture at all?

    tests/experiments/twoseg_torch.py DIR TASK [--lr 0.05] [--epochs 3] [--opt sgd|adam]
"""

import argparse
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import gpt1_reference as ref  # noqa: E402

KINDS = {"classify": ref.TASK_CLASSIFY, "entail": ref.TASK_ENTAIL, "similar": ref.TASK_SIMILAR,
         "choice": ref.TASK_CHOICE}


def rng_below(rng, n):
    return ((rng.next() >> 32) * n) >> 32


def shuffle(order, rng):
    """finetune.c's Fisher-Yates shuffle."""
    for i in range(len(order) - 1, 0, -1):
        j = rng_below(rng, i + 1)
        order[i], order[j] = order[j], order[i]


def read_tsv(path, tokenizer, labels=None):
    rows = [line.rstrip("\n").split("\t") for line in open(path)]
    names = labels or sorted({r[-1] for r in rows}, key=lambda x: (len(x), x) if x.isdigit() else (0, x))
    index = {n: i for i, n in enumerate(names)}
    examples = [([ref.encode(tokenizer, f.encode()) for f in r[:-1]], index[r[-1]]) for r in rows]
    return examples, names


def task_model(ckpt, kind, n_outputs, seed, combine=ref.COMBINE_CONCAT):
    """task_model_from_pretrained: gpt_init_weights(seed) over the task model's table, then
    the pre-trained weights copied over (wte: its text rows)."""
    config = {k: ckpt["config"][k] for k in ("n_layers", "d_model", "n_heads", "d_ff", "n_ctx", "vocab_size",
                                             "activation")}
    n_text = config["vocab_size"]
    config["vocab_size"] = n_text + ref.N_TASK_TOKENS
    config["head"] = ref.task_head(kind, n_outputs, combine)
    weights = ref.init_weights(config, seed)
    for name, value in ckpt["weights"].items():
        if name == "wte.weight":
            weights[name][:n_text] = value
        else:
            weights[name] = np.array(value)
    torch.set_default_dtype(torch.float32)
    model = ref.GPT1(config, ref.MASK_INF)
    model.load_table(weights)
    return model, n_text


def forward(model, examples, kind, n_text, lam):
    """gpt1.c's padded batch (padded_batch), run as one tensor; returns logits, L2, L1, L3."""
    n_ctx = model.config["n_ctx"]
    sequences = [s for fields, _ in examples for s in ref.task_sequences(kind, fields, n_ctx, n_text)]
    tokens, targets, rows = ref.padded_batch(sequences)
    tokens = torch.tensor(tokens, dtype=torch.long)
    h = model.hidden(tokens)
    d = h.shape[-1]
    h_e = h.reshape(-1, d)[torch.tensor(rows, dtype=torch.long)]
    if kind == ref.TASK_SIMILAR:
        h_ab, h_ba = h_e[0::2], h_e[1::2]
        concat = model.config["head"]["combine"] == ref.COMBINE_CONCAT
        h_e = torch.cat([h_ab, h_ba], dim=1) if concat else h_ab + h_ba
    logits = model.head(h_e)
    if kind == ref.TASK_CHOICE:
        logits = logits.reshape(len(examples), -1)
    labels = torch.tensor([y for _, y in examples], dtype=torch.long)
    l2 = F.cross_entropy(logits, labels)
    lm_logits = h @ model.wte.weight.T
    l1 = F.cross_entropy(lm_logits.reshape(-1, lm_logits.shape[-1]), torch.tensor(targets, dtype=torch.long).reshape(-1),
                         ignore_index=-1)
    return logits, l2, l1, (l2 + lam * l1 if lam else l2)


def accuracy(model, examples, kind, n_text):
    correct = 0
    with torch.no_grad():
        for i in range(0, len(examples), 64):
            batch = examples[i:i + 64]
            logits = forward(model, batch, kind, n_text, 0.0)[0]
            correct += int((logits.argmax(1) == torch.tensor([y for _, y in batch])).sum())
    return correct / len(examples)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("task")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lam", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--opt", default="sgd")
    p.add_argument("--compare")
    p.add_argument("--scratch", action="store_true", help="random weights (no pre-training)")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    kind_name = "classify" if a.task.endswith("_joined") else a.task.split("_")[0]
    kind = KINDS[kind_name]
    ckpt = ref.read_checkpoint(os.path.join(a.dir, "pretrain.ckpt"))
    train, names = read_tsv(os.path.join(a.dir, a.task + ".train.tsv"), ckpt["tokenizer"])
    dev, _ = read_tsv(os.path.join(a.dir, a.task + ".dev.tsv"), ckpt["tokenizer"], names)
    model, n_text = task_model(ckpt, kind, 1 if kind == ref.TASK_CHOICE else len(names), a.seed)
    if a.scratch:
        model.load_table(ref.init_weights(model.config, a.seed))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr) if a.opt == "adam" else torch.optim.SGD(model.parameters(), lr=a.lr)
    logged = [line.split(",") for line in open(a.compare).read().split("\n")[1:] if line and line.split(",")[2]] \
        if a.compare else None
    rng, order, step, worst, best = ref.SplitMix64(a.seed), list(range(len(train))), 0, [0.0, 0.0, 0.0], 0.0
    for epoch in range(a.epochs):
        shuffle(order, rng)
        for start in range(0, len(train), a.batch):
            _, l2, l1, l3 = forward(model, [train[i] for i in order[start:start + a.batch]], kind, n_text, a.lam)
            opt.zero_grad()
            l3.backward()
            opt.step()
            if logged:
                c = [float(x) for x in logged[step][2:5]]
                worst = [max(w, abs(c[k] - float(v))) for k, (w, v) in enumerate(zip(worst, (l2, l1, l3)))]
            step += 1
        acc = accuracy(model, dev, kind, n_text)
        best = max(best, acc)
        print("epoch %d dev %.4f" % (epoch + 1, acc), flush=True)
    if logged:
        print("largest |C - torch| over %d steps: L2 %.2e, L1 %.2e, L3 %.2e" % (step, *worst))
    print("best dev accuracy %.4f" % best)


if __name__ == "__main__":
    main()
