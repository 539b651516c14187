#!/usr/bin/python3
"""Word-overlap baselines for the comparison tasks of tests/experiments/table5.sh.

A logistic regression on seven features of a sentence pair, none of them learned from
text: the share of each sentence's words found in the other, the number of words in one
but not both, whether each sentence has a negation word, whether exactly one has, and a
bias. It shows how far SICK and MRPC can be taken by counting shared words, the rule a
fine-tuned model would have to find by comparing its two segments.

A development tool (needs numpy), not part of the build or the tests:
    tests/reference/overlap_baseline.py build/table5/data
prints the dev and test accuracy for SICK and MRPC, trained on their train splits.
"""
import re
import sys

import numpy as np

NEGATIONS = {"not", "no", "nobody", "nothing", "none", "never", "isn't", "aren't", "doesn't"}


def pairs(path, first, second, label):
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")][1:]
    return [(r[first].lower(), r[second].lower(), r[label]) for r in rows]


def features(a, b):
    words_a, words_b = set(re.findall(r"[a-z']+", a)), set(re.findall(r"[a-z']+", b))
    shared = len(words_a & words_b)
    neg_a, neg_b = bool(words_a & NEGATIONS), bool(words_b & NEGATIONS)
    return [shared / max(1, len(words_b)), shared / max(1, len(words_a)),
            len(words_a ^ words_b), neg_a, neg_b, neg_a != neg_b]


def matrix(examples, labels):
    x = np.array([features(a, b) for a, b, _ in examples], dtype=float)
    return x, np.array([labels.index(y) for _, _, y in examples])


def fit(x, y, classes, steps=3000, lr=0.5):
    """Softmax regression by full-batch gradient descent on standardised features."""
    w = np.zeros((x.shape[1], classes))
    for _ in range(steps):
        z = x @ w
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        p[np.arange(len(y)), y] -= 1
        w -= lr * x.T @ p / len(y)
    return w


def score(folder, name, ext, columns, labels):
    splits = {s: pairs(f"{folder}/{name}.{s}.{ext}", *columns) for s in ("train", "dev", "test")}
    x, y = matrix(splits["train"], labels)
    mean, std = x.mean(0), x.std(0) + 1e-9
    add_bias = lambda m: np.hstack([(m - mean) / std, np.ones((len(m), 1))])
    w = fit(add_bias(x), y, len(labels))
    for split in ("dev", "test"):
        xs, ys = matrix(splits[split], labels)
        accuracy = ((add_bias(xs) @ w).argmax(1) == ys).mean()
        print(f"{name} {split}: overlap baseline {100 * accuracy:.1f}")


folder = sys.argv[1] if len(sys.argv) > 1 else "build/table5/data"
score(folder, "sick", "txt", (1, 2, 3), ["NEUTRAL", "ENTAILMENT", "CONTRADICTION"])
score(folder, "mrpc", "txt", (3, 4, 0), ["0", "1"])
