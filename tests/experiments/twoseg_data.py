#!/usr/bin/env python3
"""Synthetic one- and two-segment tasks over a vocabulary of single-letter words.

Writes into OUT_DIR: pretrain.txt (random sentences over the vocabulary) and, for each
task, train.tsv and dev.tsv in the simple TSV format of docs/task_formats.md:
  classify  "does the word a occur in the text"           text<TAB>yes|no
  entail    "does the hypothesis word occur in the premise" premise<TAB>hypothesis<TAB>yes|no
  similar   "do both sentences start with the same word"    a<TAB>b<TAB>yes|no
  choice    "which option starts with the context's last word"  context<TAB>o1<TAB>o2<TAB>o3<TAB>k
Every word is one letter, so the `chars` tokenizer makes one token per word.
Probes (--probes): entail_pos0/2/4/7 "is the word at this place a", entail_equal "are the
first words equal" (both with segments of 4 words).
Usage: twoseg_data.py OUT_DIR [--vocab 16] [--train 1500] [--dev 500] [--seed 1] [--fixed N]
       [--scale S] [--repeat P] [--probes]
"""
import argparse
import os
import random


SCALE = 1.0  # --scale: sentence lengths multiplied by this (shorter tasks for small contexts)
FIXED_LENGTH = None  # --fixed N: every sentence has N words, so every segment starts at a fixed position


def sentence(rng, words, lo, hi, avoid=""):
    pool = [w for w in words if w not in avoid]
    n = FIXED_LENGTH or max(1, round(rng.randint(lo, hi) * SCALE))
    return "".join(rng.choice(pool) for _ in range(n))


def classify(rng, words):
    yes = rng.random() < 0.5
    text = sentence(rng, words, 6, 10, avoid=words[0])
    if yes:
        i = rng.randrange(len(text) + 1)
        text = text[:i] + words[0] + text[i + (FIXED_LENGTH is not None):]
    return [text, "yes" if yes else "no"]


def entail(rng, words):
    premise = sentence(rng, words, 6, 10)
    yes = rng.random() < 0.5
    absent = [w for w in words if w not in premise]
    hypothesis = rng.choice(premise) if yes or not absent else rng.choice(absent)
    return [premise, hypothesis, "yes" if hypothesis in premise else "no"]


def similar(rng, words):
    a, b = sentence(rng, words, 4, 8), sentence(rng, words, 4, 8)
    if rng.random() < 0.5:
        b = a[0] + b[1:]
    elif a[0] == b[0]:
        b = rng.choice([w for w in words if w != a[0]]) + b[1:]
    return [a, b, "yes" if a[0] == b[0] else "no"]


def choice(rng, words, n_options=3):
    context = sentence(rng, words, 5, 8)
    last = context[-1]
    starts = [last] + rng.sample([w for w in words if w != last], n_options - 1)
    options = [s + sentence(rng, words, 2, 4) for s in starts]
    right = rng.randrange(n_options)
    options[0], options[right] = options[right], options[0]
    return [context] + options + [str(right + 1)]


def joined(make):
    """The same example as one text, its segments joined by '|': a classification control."""
    def make_joined(rng, words):
        row = make(rng, words)
        return ["|".join(row[:-1]), row[-1]]
    return make_joined


def hypothesis_is_a(rng, words):
    """Two segments, a rule about one of them: is the hypothesis the word a?"""
    premise, hypothesis = sentence(rng, words, 6, 10), rng.choice(words[1:])
    if rng.random() < 0.5:
        hypothesis = words[0]
    return [premise, hypothesis, "yes" if hypothesis == words[0] else "no"]


def word_at(position):
    """Probe: two segments of 4 words; is the word at `position` (0-7 over both) the word a?
    A rule about one word, but at one place: it needs attention that picks that place."""
    def make(rng, words):
        text = [rng.choice(words) for _ in range(8)]
        text[position] = words[0] if rng.random() < 0.5 else rng.choice(words[1:])
        return ["".join(text[:4]), "".join(text[4:]), "yes" if text[position] == words[0] else "no"]
    return make


def first_words_equal(rng, words):
    """Probe: segments of 4 words whose first words come from the first 4 words: are they equal?
    Equality at fixed places, with no one-word rule better than chance."""
    a = rng.choice(words[:4]) + "".join(rng.choice(words) for _ in range(3))
    b = "".join(rng.choice(words) for _ in range(3))
    first = a[0] if rng.random() < 0.5 else rng.choice([w for w in words[:4] if w != a[0]])
    return [a, first + b, "yes" if first == a[0] else "no"]


PROBES = {"entail_pos%d" % p: word_at(p) for p in (0, 2, 4, 7)}
PROBES["entail_equal"] = first_words_equal

TASKS = {"classify": classify, "entail": entail, "similar": similar, "choice": choice,
         "entail_joined": joined(entail), "similar_joined": joined(similar),
         "entail_hyp_is_a": hypothesis_is_a}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--vocab", type=int, default=16)
    p.add_argument("--train", type=int, default=1500)
    p.add_argument("--dev", type=int, default=500)
    p.add_argument("--pretrain-lines", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=float, default=0.0,
                   help="pre-training text: the chance that a line's second sentence repeats its first")
    p.add_argument("--scale", type=float, default=1.0, help="sentence lengths times this")
    p.add_argument("--fixed", type=int, default=None, help="every sentence this many words")
    p.add_argument("--probes", action="store_true", help="also the probes entail_pos0/2/4/7 and entail_equal")
    a = p.parse_args()
    global FIXED_LENGTH, SCALE
    FIXED_LENGTH, SCALE = a.fixed, a.scale
    rng = random.Random(a.seed)
    words = "abcdefghijklmnopqrstuvwxyz"[: a.vocab]
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "pretrain.txt"), "w") as f:
        for _ in range(a.pretrain_lines):
            first = sentence(rng, words, 4, 12)
            f.write(first)
            if rng.random() < 0.5:  # the joined controls put two sentences on a line
                second = first if rng.random() < a.repeat else sentence(rng, words, 4, 12)
                f.write("|" + second)
            f.write("\n")
    for name, make in {**TASKS, **(PROBES if a.probes else {})}.items():
        for split, n in (("train", a.train), ("dev", a.dev)):
            with open(os.path.join(a.out, f"{name}.{split}.tsv"), "w") as f:
                for _ in range(n):
                    f.write("\t".join(make(rng, words)) + "\n")


if __name__ == "__main__":
    main()
