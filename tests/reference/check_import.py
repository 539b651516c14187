#!/usr/bin/python3
"""gpt import and gpt export against PyTorch, on random models written in exactly the
formats of GPT-1's two distributions (the weights themselves cannot be downloaded here).

    /usr/bin/python3 tests/reference/check_import.py --gpt build/gpt [--work DIR]
    /usr/bin/python3 tests/reference/check_import.py --gpt build/gpt --full-size --vocab ../shared/data/gpt1

1. Draws a random model (weights N(0, 0.3²) at width 32, LayerNorm gains 1 + N(0, 0.1²),
   biases N(0, 0.1²): far from the initialisation, so that errors show) and a vocabulary.
2. Writes it as the original release (params_shapes.json and three uneven .npy shards
   made by numpy's own np.save, encoder_bpe_40000.json, vocab_40000.bpe) and as a
   Hugging Face folder (model.safetensors written here, in another tensor order, with
   the "transformer." prefix, the attention-mask buffers and a tied lm_head.weight;
   config.json, vocab.json, merges.txt).
3. Runs `gpt import` on both: the checkpoints must hold the weights bit for bit.
4. The PyTorch reference model (gpt1_reference.py, float64) on the same weights: `gpt eval`
   on a text, and on each of a few short sequences (each loss is a function of the
   logits at every position), must agree to 1e-5; `gpt encode` must give the ids of the
   Python tokenizer (the release's bpe()).
5. `gpt export` of the imported checkpoint: a minimal safetensors reader (json and
   numpy only) loads model.safetensors into the reference model, which reproduces
   `gpt eval` to 1e-5; `gpt import` of the exported folder gives the weights bit for bit.

The default model is small (2 layers, d 32) with a made-up vocabulary of 400 tokens;
--full-size uses GPT-1's sizes (116,534,784 parameters) and the released vocabulary,
and prints the import time and peak memory that gpt import reports.
Exits 1 on any difference.
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpt1_reference as ref  # noqa: E402
import gpt1_tokenizer  # noqa: E402

TOLERANCE = 1e-5
TEXT = ("The president is a very good man. \"I'm sure he is,\" said the old woman. Don't you know Mr. Smith?\n"
        "They went to the U.S. in 1920's... it was well-known (sort of)!\n") * 3
SHORT = ["the president is", "I'm sure he is,", "\"Don't,\" she said."]
BLOCK = ["attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias", "ln_1.weight",
         "ln_1.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias", "ln_2.weight",
         "ln_2.bias"]


def made_up_vocabulary():
    """Characters, each also with </w>, "\\n</w>", and merges of common English pairs,
    in rank order; every merge makes a token. "<unk>" is id 0, as in the release."""
    chars = [chr(c) for c in range(33, 127)]
    tokens = ["<unk>"] + chars + [c + "</w>" for c in chars] + ["\n</w>"]
    merges = []
    for word in ["the", "is", "he", "president", "good", "man", "said", "old", "woman", "sure", "you", "know",
                 "they", "went", "well", "known", "sort", "very", "don", "smith", "in", "it", "was", "of", "to"]:
        symbols = list(word[:-1]) + [word[-1] + "</w>"]
        while len(symbols) > 1:  # merge left to right: "t h" -> "th", "th e</w>" -> "the</w>"
            pair = (symbols[0], symbols[1])
            if pair not in merges:
                merges.append(pair)
                if pair[0] + pair[1] not in tokens:
                    tokens.append(pair[0] + pair[1])
            symbols = [symbols[0] + symbols[1]] + symbols[2:]
    encoder = json.dumps({t: i for i, t in enumerate(tokens)})
    return encoder, "#version: 0.2\n" + "".join("%s %s\n" % m for m in merges)


def random_weights(config, seed):
    """Weights N(0, σ²) with σ = 0.3 at width 32, shrinking as 1/√d (so that a full-size
    model's logits stay in the range of a trained one's); biases N(0, 0.1²), gains 1 + N(0, 0.1²)."""
    rng = np.random.default_rng(seed)
    weights = {}
    for name, shape, init in ref.parameter_table(config):
        std = 0.3 * (32 / config["d_model"]) ** 0.5 if init == ref.NORMAL else 0.1
        base = 1.0 if init == ref.ONES else 0.0
        weights[name] = (base + std * rng.standard_normal(shape)).astype(np.float32)
    return weights


def release_arrays(config, weights):
    """The release's order and shapes: positions, tokens, 12 per block, weights [1, in, out]."""
    arrays = [weights["wpe.weight"], weights["wte.weight"]]
    for layer in range(config["n_layers"]):
        for name in BLOCK:
            w = weights["blocks.%d.%s" % (layer, name)]
            arrays.append(w[None] if w.ndim == 2 else w)
    return arrays


def write_release(folder, config, weights, encoder, merges):
    os.makedirs(folder, exist_ok=True)
    arrays = release_arrays(config, weights)
    json.dump([list(a.shape) for a in arrays], open(os.path.join(folder, "params_shapes.json"), "w"))
    flat = np.concatenate([a.ravel() for a in arrays])
    cuts = [len(flat) // 5, len(flat) // 5 + len(flat) // 2]  # three uneven shards, cut inside arrays
    for n, shard in enumerate(np.split(flat, cuts)):
        np.save(os.path.join(folder, "params_%d.npy" % n), shard)
    open(os.path.join(folder, "encoder_bpe_40000.json"), "w").write(encoder)
    open(os.path.join(folder, "vocab_40000.bpe"), "w").write(merges)


def hf_name(name):
    if name == "wte.weight":
        return "tokens_embed.weight"
    if name == "wpe.weight":
        return "positions_embed.weight"
    return "h." + name[len("blocks."):]


def write_safetensors(path, tensors):
    """tensors: [(name, float32 array)] in the order given; a minimal writer of the format."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, a in tensors:
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for _, a in tensors:
            f.write(np.ascontiguousarray(a, dtype="<f4").tobytes())


def read_safetensors(path):
    """A minimal reader: {name: float32 array} of the F32 tensors."""
    data = open(path, "rb").read()
    (n,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        assert entry["dtype"] == "F32"
        out[name] = np.frombuffer(data[8 + n + begin:8 + n + end], dtype="<f4").reshape(entry["shape"])
    return out


def write_hugging_face(folder, config, weights, encoder, merges):
    os.makedirs(folder, exist_ok=True)
    n_ctx = config["n_ctx"]
    tensors = [("transformer." + hf_name(name), weights[name]) for name in reversed(list(weights))]
    for layer in range(config["n_layers"]):  # the causal-mask buffers of older transformers versions
        mask = np.tril(np.ones((n_ctx, n_ctx), dtype=np.float32)).reshape(1, 1, n_ctx, n_ctx)
        tensors.insert(layer * 3, ("transformer.h.%d.attn.bias" % layer, mask))
    tensors.append(("lm_head.weight", weights["wte.weight"]))
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors)
    hf_config = {"afn": "gelu", "architectures": ["OpenAIGPTLMHeadModel"], "model_type": "openai-gpt",
                 "n_embd": config["d_model"], "n_head": config["n_heads"], "n_layer": config["n_layers"],
                 "n_positions": n_ctx, "n_ctx": n_ctx, "vocab_size": config["vocab_size"], "n_special": 0,
                 "attn_pdrop": 0.1, "embd_pdrop": 0.1, "resid_pdrop": 0.1, "layer_norm_epsilon": 1e-05}
    json.dump(hf_config, open(os.path.join(folder, "config.json"), "w"), indent=2)
    open(os.path.join(folder, "vocab.json"), "w").write(encoder)
    open(os.path.join(folder, "merges.txt"), "w").write(merges)


def run(gpt, *args):
    result = subprocess.run([gpt] + list(args), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("gpt %s failed:\n%s" % (" ".join(args), result.stderr))
    return result


def gpt_loss(gpt, ckpt, path):
    out = run(gpt, "eval", "--ckpt", ckpt, "--data", path).stdout
    return float(next(line for line in out.splitlines() if line.startswith("loss:")).split()[1])


class Checker:
    def __init__(self):
        self.failures = 0

    def check(self, ok, what):
        print("%s: %s" % (what, "ok" if ok else "DIFFERENT"))
        self.failures += 0 if ok else 1

    def close(self, what, ours, theirs):
        relative = abs(ours - theirs) / max(abs(theirs), 1e-12)
        self.check(relative <= TOLERANCE, "%s: gpt1.c %.7f, PyTorch %.7f, relative difference %.1e" % (
            what, ours, theirs, relative))


def compare_weights(checker, what, ckpt_path, weights):
    stored = ref.read_checkpoint(ckpt_path)["weights"]
    same = set(stored) == set(weights) and all(np.array_equal(stored[n].view(np.uint32), weights[n].view(np.uint32))
                                                for n in weights)
    checker.check(same, "%s: every weight bit for bit" % what)


def compare_losses(checker, what, gpt, ckpt, model, tokenizer, work):
    for i, text in enumerate([TEXT] + SHORT):
        path = os.path.join(work, "text_%d.txt" % i)
        open(path, "w").write(text)
        ids = tokenizer.encode(text)
        c_ids = [int(x) for x in run(gpt, "encode", "--ckpt", ckpt, "--text", text).stdout.split()]
        if i == 0:
            checker.check(c_ids == ids, "%s: gpt encode gives the ids of the release's bpe() (%d ids)" % (what, len(ids)))
        loss, _ = ref.evaluate_windows(model, ids)
        checker.close("%s: gpt eval on %s" % (what, "the text" if i == 0 else repr(text)), gpt_loss(gpt, ckpt, path), loss)


def reference_model(config, weights):
    torch.set_default_dtype(torch.float64)
    model = ref.GPT1(dict(config))
    model.load_table(weights)
    model.eval()
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gpt", default="build/gpt")
    parser.add_argument("--work", help="folder for the files (default: a temporary one, removed after)")
    parser.add_argument("--full-size", action="store_true", help="GPT-1's own sizes and vocabulary")
    parser.add_argument("--vocab", help="the released vocabulary's folder (needed by --full-size)")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="gpt1c_import_")
    os.makedirs(work, exist_ok=True)
    if args.full_size:
        folder = args.vocab
        encoder = open(os.path.join(folder, "encoder_bpe_40000.json"), encoding="utf-8").read()
        merges = open(os.path.join(folder, "vocab_40000.bpe"), encoding="utf-8").read()
        sizes = dict(n_layers=12, d_model=768, n_heads=12, d_ff=3072, n_ctx=512)
    else:
        encoder, merges = made_up_vocabulary()
        sizes = dict(n_layers=2, d_model=32, n_heads=4, d_ff=128, n_ctx=16)
    config = dict(sizes, vocab_size=len(json.loads(encoder)), activation=ref.GELU)
    weights = random_weights(config, seed=15)
    tokenizer = gpt1_tokenizer.Gpt1Tokenizer(encoder_text=encoder, merges_text=merges)
    model = reference_model(config, weights)
    print("model: %d layers, d %d, %d heads, d_ff %d, n_ctx %d, vocab %d: %d parameters" % (
        config["n_layers"], config["d_model"], config["n_heads"], config["d_ff"], config["n_ctx"],
        config["vocab_size"], sum(w.size for w in weights.values())))
    checker = Checker()
    for kind, write in (("release", write_release), ("hugging-face", write_hugging_face)):
        folder, ckpt = os.path.join(work, kind), os.path.join(work, kind + ".ckpt")
        write(folder, config, weights, encoder, merges)
        heads = ["--heads", str(config["n_heads"])] if kind == "release" else []  # the release has no config
        report = run(args.gpt, "import", "--from", folder, "--out", ckpt, *heads).stderr
        print("".join("  " + line + "\n" for line in report.splitlines() if line.startswith(("import:", "parameters"))),
              end="")
        compare_weights(checker, "import of the %s" % kind, ckpt, weights)
        compare_losses(checker, kind, args.gpt, ckpt, model, tokenizer, work)
    exported = os.path.join(work, "exported")
    run(args.gpt, "export", "--ckpt", os.path.join(work, "release.ckpt"), "--out", exported)
    tensors = read_safetensors(os.path.join(exported, "model.safetensors"))
    loaded = {name: tensors[hf_name(name)] for name in weights}
    checker.check(set(tensors) == {hf_name(n) for n in weights}, "export: model.safetensors has exactly the parameters")
    text_path = os.path.join(work, "text_0.txt")
    checker.close("export: the exported weights in PyTorch against gpt eval",
                  gpt_loss(args.gpt, os.path.join(work, "release.ckpt"), text_path),
                  ref.evaluate_windows(reference_model(config, loaded), tokenizer.encode(TEXT))[0])
    run(args.gpt, "import", "--from", exported, "--out", os.path.join(work, "reimported.ckpt"))
    compare_weights(checker, "import(export(X))", os.path.join(work, "reimported.ckpt"), weights)
    if not args.work:
        shutil.rmtree(work)
    print("%s" % ("all agree" if checker.failures == 0 else "%d differences" % checker.failures))
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
