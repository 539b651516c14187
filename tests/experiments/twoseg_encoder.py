#!/usr/bin/python3
"""A control for the two-segment investigation (docs/finetuning.md, "Rules that compare
two segments"): PyTorch's own nn.TransformerEncoder with a causal mask, trained with Adam
on the same batches as gpt1.c (the reference's input transformations and padding), no
pre-training and no LM loss. It separates the initialisation and the place of LayerNorm
from everything else.

    tests/experiments/twoseg_encoder.py DIR TASK [--norm post|pre] [--weight-std S]
                                        [--embedding-std S] [--epochs 3]

DIR is a folder of twoseg_data.py (its pretrain.ckpt gives the vocabulary). Without
--weight-std the weights keep PyTorch's initialisation (about 1/sqrt(fan_in)) and the
embeddings N(0, 1); with it every weight matrix is N(0, S^2), the embeddings too unless
--embedding-std is given.
"""

import argparse
import os
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import gpt1_reference as ref  # noqa: E402
import twoseg_torch as twoseg  # noqa: E402


class Encoder(nn.Module):
    def __init__(self, vocab, n_classes, d, n_ctx, norm_first, weight_std, embedding_std):
        super().__init__()
        self.wte, self.wpe, self.d = nn.Embedding(vocab, d), nn.Embedding(n_ctx, d), d
        layer = nn.TransformerEncoderLayer(d, 3, 4 * d, 0.0, batch_first=True, norm_first=norm_first)
        self.blocks = nn.TransformerEncoder(layer, 3)
        self.head = nn.Linear(d, n_classes)
        if weight_std:
            for name, p in self.named_parameters():
                if p.dim() == 2:
                    embedding = name.startswith("wte") or name.startswith("wpe")
                    nn.init.normal_(p, 0.0, embedding_std if embedding and embedding_std else weight_std)

    def forward(self, tokens, rows):
        t = tokens.shape[1]
        causal = torch.triu(torch.full((t, t), float("-inf")), 1)
        h = self.blocks(self.wte(tokens) + self.wpe(torch.arange(t)), mask=causal)
        return self.head(h.reshape(-1, self.d)[rows])


def batch(examples, kind, n_text, n_ctx):
    sequences = [s for fields, _ in examples for s in ref.task_sequences(kind, fields, n_ctx, n_text)]
    tokens, _, rows = ref.padded_batch(sequences)
    return (torch.tensor(tokens, dtype=torch.long), torch.tensor(rows, dtype=torch.long),
            torch.tensor([y for _, y in examples]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("task")
    p.add_argument("--norm", default="post", choices=["post", "pre"])
    p.add_argument("--weight-std", type=float, default=0.0)
    p.add_argument("--embedding-std", type=float, default=0.0)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    kind = twoseg.KINDS["classify" if a.task.endswith("_joined") else a.task.split("_")[0]]
    if kind in (ref.TASK_SIMILAR, ref.TASK_CHOICE):
        sys.exit("twoseg_encoder.py: only classify and entail tasks (one sequence per example)")
    ckpt = ref.read_checkpoint(os.path.join(a.dir, "pretrain.ckpt"))
    train, names = twoseg.read_tsv(os.path.join(a.dir, a.task + ".train.tsv"), ckpt["tokenizer"])
    dev, _ = twoseg.read_tsv(os.path.join(a.dir, a.task + ".dev.tsv"), ckpt["tokenizer"], names)
    n_text, n_ctx = ckpt["config"]["vocab_size"], ckpt["config"]["n_ctx"]
    model = Encoder(n_text + ref.N_TASK_TOKENS, len(names), 48, n_ctx, a.norm == "pre", a.weight_std,
                    a.embedding_std)
    optimiser = torch.optim.Adam(model.parameters(), 1e-3)
    start = time.time()
    for epoch in range(a.epochs):
        random.shuffle(train)
        total = 0.0
        for i in range(0, len(train), 8):
            tokens, rows, labels = batch(train[i:i + 8], kind, n_text, n_ctx)
            loss = F.cross_entropy(model(tokens, rows), labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss)
        with torch.no_grad():
            tokens, rows, labels = batch(dev, kind, n_text, n_ctx)
            accuracy = float((model(tokens, rows).argmax(1) == labels).float().mean())
        print("epoch %d train loss %.4f dev %.4f (%.0f s)" % (epoch + 1, total / ((len(train) + 7) // 8), accuracy,
                                                             time.time() - start), flush=True)


if __name__ == "__main__":
    main()
