"""GPT-1 (Radford et al. 2018) in PyTorch, written independently of gpt1.c, and the
pieces both sides share: gpt1.c's random number generator (to reproduce its initial
weights bit for bit), its parameter table, the golden file format and the checkpoint
format.

A development tool only: the C tests read the golden files this produces and never
need Python. Runs with Debian's python3-torch (1.13, CPU) and numpy.

The model is the paper's language model, section 3.1:

    h0  = U·We + Wp                          token embedding + learned position embedding
    h_l = block(h_{l-1}),  l = 1..n          post-LN:  x = LN(x + attn(x));  x = LN(x + mlp(x))
    P(u) = softmax(h_n·Weᵀ)                  output tied to the token embedding, no final LN

with LayerNorm eps 1e-5, masked multi-head self-attention scaled by 1/√d_head, and a
feed-forward network with ReLU or GELU (tanh form).

And the fine-tuning half, sections 3.2 and 3.3, as docs/finetuning.md describes it: three
task tokens appended to the vocabulary, the four input transformations with their
truncation rule, a linear head W_y (with a bias) on the final hidden state at <e>, the
task loss L2, the auxiliary LM loss L1 on the task inputs and L3 = L2 + λ·L1. The
reference runs every sequence on its own, at its own length: padding is a batching
detail of gpt1.c that must change nothing.
"""

import math
import struct
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RELU, GELU = 0, 1  # gpt1.c's Activation enum
ACTIVATION_NAMES = {RELU: "relu", GELU: "gelu"}
MASK_ORIGINAL = "original"  # w·b − 1e9·(1 − b), as in the original release's mask_attn_weights
MASK_INF = "inf"            # −inf above the diagonal, as gpt1.c does

# --- gpt1.c's PRNG: SplitMix64 and Box-Muller (tensor/rng.c) ------------------------

MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def normal(self, mean, std):
        """rng_normal: Box-Muller in double precision, then mean + std·(float)z in float32."""
        u1 = 1.0 - float(self.next() >> 11) * 2.0 ** -53
        u2 = float(self.next() >> 11) * 2.0 ** -53
        z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * 3.14159265358979323846 * u2)
        return np.float32(mean) + np.float32(std) * np.float32(z)


# --- The parameter table: names, shapes (gpt1.c's layout) and initialisation ---------

NORMAL, ZEROS, ONES = "normal", "zeros", "ones"


def parameter_table(config):
    """[(name, shape, init)] in gpt1.c's table order; linear weights are [in, out]. A
    config with a "head" (see task_head) has the task head last: head.weight, head.bias."""
    d, f = config["d_model"], config["d_ff"]
    table = [("wte.weight", (config["vocab_size"], d), NORMAL), ("wpe.weight", (config["n_ctx"], d), NORMAL)]
    for layer in range(config["n_layers"]):
        p = "blocks.%d." % layer
        table += [
            (p + "attn.c_attn.weight", (d, 3 * d), NORMAL), (p + "attn.c_attn.bias", (3 * d,), ZEROS),
            (p + "attn.c_proj.weight", (d, d), NORMAL), (p + "attn.c_proj.bias", (d,), ZEROS),
            (p + "ln_1.weight", (d,), ONES), (p + "ln_1.bias", (d,), ZEROS),
            (p + "mlp.c_fc.weight", (d, f), NORMAL), (p + "mlp.c_fc.bias", (f,), ZEROS),
            (p + "mlp.c_proj.weight", (f, d), NORMAL), (p + "mlp.c_proj.bias", (d,), ZEROS),
            (p + "ln_2.weight", (d,), ONES), (p + "ln_2.bias", (d,), ZEROS),
        ]
    head = config.get("head")
    if head is not None:
        n = head["n_outputs"]
        table += [("head.weight", (head_input_width(config), n), NORMAL), ("head.bias", (n,), ZEROS)]
    return table


def init_weights(config, seed):
    """gpt_init_weights(seed): the table in order, N(0, 0.02) drawn element by element in
    row-major order, biases 0 and LayerNorm gains 1 (which draw nothing). float32."""
    rng = SplitMix64(seed)
    weights = {}
    for name, shape, init in parameter_table(config):
        n = int(np.prod(shape))
        if init == NORMAL:
            values = np.array([rng.normal(0.0, 0.02) for _ in range(n)], dtype=np.float32)
        else:
            values = np.full(n, 1.0 if init == ONES else 0.0, dtype=np.float32)
        weights[name] = values.reshape(shape)
    return weights


def spread_weights(config, seed, weight_std, other_std):
    """Weights in the range a trained model has, which the N(0, 0.02) initialisation is not
    (there softmax, GELU and ReLU are nearly linear, and biases are 0 and gains 1, so many
    formula errors would not show). One SplitMix64 stream in table order: weights
    N(0, weight_std²); biases and LayerNorm gains their init (0 or 1) + N(0, other_std²).
    float32, computed as the C test computes them: init + rng_normal(rng, 0, std)."""
    rng = SplitMix64(seed)
    weights = {}
    for name, shape, init in parameter_table(config):
        base = np.float32(1.0 if init == ONES else 0.0)
        std = weight_std if init == NORMAL else other_std
        values = np.array([base + rng.normal(0.0, std) for _ in range(int(np.prod(shape)))], dtype=np.float32)
        weights[name] = values.reshape(shape)
    return weights


# --- The model -----------------------------------------------------------------------


class Attention(nn.Module):
    def __init__(self, d, n_heads, mask):
        super().__init__()
        self.c_attn = nn.Linear(d, 3 * d)  # torch stores [out, in]: the transpose of gpt1.c's
        self.c_proj = nn.Linear(d, d)
        self.n_heads, self.mask = n_heads, mask

    def forward(self, x):
        b, t, d = x.shape
        hd = d // self.n_heads
        q, k, v = self.c_attn(x).split(d, dim=-1)
        q, k, v = (y.view(b, t, self.n_heads, hd).transpose(1, 2) for y in (q, k, v))  # [b, h, t, hd]
        w = q @ k.transpose(-1, -2) / math.sqrt(hd)
        visible = torch.tril(torch.ones(t, t, dtype=x.dtype))
        if self.mask == MASK_ORIGINAL:
            w = w * visible + -1e9 * (1 - visible)
        else:
            w = w.masked_fill(visible == 0, float("-inf"))
        a = F.softmax(w, dim=-1) @ v
        return self.c_proj(a.transpose(1, 2).reshape(b, t, d))


class FeedForward(nn.Module):
    def __init__(self, d, d_ff, activation):
        super().__init__()
        self.c_fc, self.c_proj, self.activation = nn.Linear(d, d_ff), nn.Linear(d_ff, d), activation

    def forward(self, x):
        h = self.c_fc(x)
        h = F.gelu(h, approximate="tanh") if self.activation == GELU else F.relu(h)
        return self.c_proj(h)


class Block(nn.Module):
    def __init__(self, config, mask):
        super().__init__()
        d = config["d_model"]
        self.attn = Attention(d, config["n_heads"], mask)
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.mlp = FeedForward(d, config["d_ff"], config["activation"])
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)

    def forward(self, x):  # post-LN, GPT-1: no LayerNorm before the sublayers
        x = self.ln_1(x + self.attn(x))
        return self.ln_2(x + self.mlp(x))


class GPT1(nn.Module):
    def __init__(self, config, mask=MASK_ORIGINAL):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config["vocab_size"], config["d_model"])
        self.wpe = nn.Embedding(config["n_ctx"], config["d_model"])
        self.blocks = nn.ModuleList(Block(config, mask) for _ in range(config["n_layers"]))
        if config.get("head") is not None:  # fine-tuning: W_y and its bias (registered last)
            self.head = nn.Linear(head_input_width(config), config["head"]["n_outputs"])

    def hidden(self, tokens):  # [b, t] -> h_n [b, t, d]
        t = tokens.shape[1]
        assert t <= self.config["n_ctx"]
        h = self.wte(tokens) + self.wpe(torch.arange(t))
        for block in self.blocks:
            h = block(h)
        return h

    def forward(self, tokens):  # [b, t] -> logits [b, t, vocab]
        return self.hidden(tokens) @ self.wte.weight.T  # tied: the same matrix as the input embedding

    # Parameters by gpt1.c's names; torch's module names were chosen to be the same.
    def load_table(self, weights):
        params = dict(self.named_parameters())
        with torch.no_grad():
            for name, value in weights.items():
                value = torch.tensor(np.asarray(value, dtype=np.float64), dtype=params[name].dtype)
                params[name].copy_(value.T if is_linear_weight(name) else value)

    def table(self, grads=False):
        """{name: numpy array in gpt1.c's layout} of the values, or of the gradients."""
        out = {}
        for name, p in self.named_parameters():
            v = p.grad if grads else p
            v = v.detach().T if is_linear_weight(name) else v.detach()
            out[name] = v.numpy().copy()
        return out


def is_linear_weight(name):
    return name == "head.weight" or (name.endswith(".weight") and (
        ".c_attn." in name or ".c_proj." in name or ".c_fc." in name))


def lm_loss(logits, targets):
    """L1 as gpt1.c reports it: the mean of −log P(target) over the positions."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def greedy_generate(model, prompt, n_tokens, window="last"):
    """gpt1.c's generate() at temperature 0: the model reads the last n_ctx tokens, the
    next token is the argmax (ties to the lowest id). Also returns the smallest gap between
    the best and second-best logit: how far the choice is from a tie. window="first" or
    "short" (n_ctx − 1 tokens) are wrong rules, to show that the golden tokens tell them apart."""
    ids, margin, n_ctx = list(prompt), math.inf, model.config["n_ctx"]
    with torch.no_grad():
        for _ in range(n_tokens):
            window_ids = {"last": ids[-n_ctx:], "first": ids[:n_ctx], "short": ids[-(n_ctx - 1):]}[window]
            row = model(torch.tensor([window_ids]))[0, -1].numpy()
            best = int(np.argmax(row))  # numpy: the first maximum
            second = np.max(np.delete(row, best))
            margin = min(margin, float(row[best] - second))
            ids.append(best)
    return ids, margin


def evaluate_windows(model, ids):
    """evaluate_lm_loss: consecutive non-overlapping windows of n_ctx + 1 tokens, each
    scoring n_ctx predictions; a tail of >= 2 tokens is one shorter window. The mean over
    every prediction. Returns (loss, number scored)."""
    n_ctx, total, scored = model.config["n_ctx"], 0.0, 0
    windows = [ids[i:i + n_ctx + 1] for i in range(0, len(ids) - n_ctx, n_ctx + 1)]
    tail = len(ids) - len(windows) * (n_ctx + 1)
    if tail >= 2:
        windows.append(ids[len(ids) - tail:])
    with torch.no_grad():
        for w in windows:
            w = torch.tensor([w])
            logits = model(w[:, :-1])
            total += float(lm_loss(logits, w[:, 1:])) * (w.shape[1] - 1)
            scored += w.shape[1] - 1
    return total / scored, scored


# --- Fine-tuning (sections 3.2 and 3.3; docs/finetuning.md) -----------------------------

TASK_CLASSIFY, TASK_ENTAIL, TASK_SIMILAR, TASK_CHOICE = 1, 2, 3, 4  # gpt1.c's TaskKind
TASK_NAMES = {TASK_CLASSIFY: "classify", TASK_ENTAIL: "entail", TASK_SIMILAR: "similar", TASK_CHOICE: "choice"}
COMBINE_CONCAT, COMBINE_ADD = 0, 1                                   # gpt1.c's SimilarityCombine
N_TASK_TOKENS = 3


def task_head(task, n_outputs, combine=COMBINE_CONCAT, regression=False):
    """A config's "head": the task, its outputs (classes; 1 for choice and regression),
    how similarity combines its two extract vectors, and squared error for a graded score."""
    return dict(task=task, n_outputs=n_outputs, combine=combine, regression=regression)


def head_input_width(config):
    """W_y reads h_e (d), or [h_AB, h_BA] (2d) for concatenated similarity."""
    head = config["head"]
    concat = head["task"] == TASK_SIMILAR and head["combine"] == COMBINE_CONCAT
    return 2 * config["d_model"] if concat else config["d_model"]


def task_token_ids(n_text):
    """<s>, $ and <e> are appended after the n_text text tokens, in that order."""
    return n_text, n_text + 1, n_text + 2


def fit_fields(fields, budget):
    """The truncation rule of docs/finetuning.md — "while the fields exceed the budget, the
    longest (the first of equally long ones) loses its last token" — computed in closed
    form rather than token by token: every field is cut to a level c, the largest for
    which the cut fields fit, and the r tokens still free go back, one each, to the *last*
    r of the fields that were cut (the earlier ones of a tie lost first)."""
    lengths = [len(f) for f in fields]
    if sum(lengths) <= budget:
        return [list(f) for f in fields]
    level = max(c for c in range(max(lengths) + 1) if sum(min(n, c) for n in lengths) <= budget)
    spare = budget - sum(min(n, level) for n in lengths)
    cut = [i for i, n in enumerate(lengths) if n > level]
    keep = {i: level + (i in cut[len(cut) - spare:]) for i in cut}
    return [list(f[:keep.get(i, len(f))]) for i, f in enumerate(fields)]


def original_fit_fields(fields, n_ctx):
    """The original release's rule (transform_roc): every field capped at n_ctx // 2 − 2
    tokens, whatever the others' lengths. Not gpt1.c's; only to show the goldens differ."""
    cap = n_ctx // 2 - 2
    return [list(f[:cap]) for f in fields]


def task_sequences(task, fields, n_ctx, n_text, fit=None):
    """Figure 1 (right) of the paper: one example's token sequences.
        classify  <s> text <e>
        entail    <s> premise $ hypothesis <e>
        similar   <s> A $ B <e>  and  <s> B $ A <e>   (one truncation for both orders)
        choice    <s> context $ option_k <e>  for every option k (each pair truncated alone)"""
    s, d, e = task_token_ids(n_text)
    fit = fit or (lambda f, budget: fit_fields(f, budget))
    if task == TASK_CLASSIFY:
        (text,) = fit(fields, n_ctx - 2)
        return [[s] + text + [e]]
    if task == TASK_ENTAIL:
        premise, hypothesis = fit(fields, n_ctx - 3)
        return [[s] + premise + [d] + hypothesis + [e]]
    if task == TASK_SIMILAR:
        a, b = fit(fields, n_ctx - 3)
        return [[s] + a + [d] + b + [e], [s] + b + [d] + a + [e]]
    sequences = []
    for option in fields[1:]:
        context, option = fit([fields[0], option], n_ctx - 3)
        sequences.append([s] + context + [d] + option + [e])
    return sequences


def padded_batch(sequences):
    """gpt1.c's TaskBatch layout of the sequences (in order; similarity: AB, BA of each
    example side by side): padded on the right with token 0 to the longest; the LM target
    of a position is the next real token, or −1 (none); the extract row of a sequence is
    the position of its last real token, <e>, in the flattened [n_sequences · seq] rows."""
    seq = max(len(s) for s in sequences)
    tokens = np.array([s + [0] * (seq - len(s)) for s in sequences], dtype=np.int32)
    targets = np.array([s[1:] + [-1] * (seq - len(s) + 1) for s in sequences], dtype=np.int32)
    rows = np.array([i * seq + len(s) - 1 for i, s in enumerate(sequences)], dtype=np.int32)
    return tokens, targets, rows


def task_losses(model, sequences, labels, targets, lam, extract_id, lm_mean="tokens", extended_softmax=False):
    """The fine-tuning objective of a batch, every sequence run alone at its own length.
    sequences: one list of sequences per example. Returns (logits, L2, L1, L3) as tensors;
    L1 is None when λ = 0 (gpt1.c then does not compute it) unless lm_mean is given
    explicitly. The variants that gpt1.c does not use, for comparison only:
    lm_mean="sequences" averages L1 per sequence first (the original release);
    extended_softmax=True runs the LM softmax over the token and position rows (the
    original's tied matrix)."""
    head = model.config["head"]
    states, lm_sum, lm_count, per_sequence = [], 0.0, 0, []
    output_matrix = torch.cat([model.wte.weight, model.wpe.weight]) if extended_softmax else model.wte.weight
    for example in sequences:
        for s in example:
            assert s[-1] == extract_id and extract_id not in s[:-1]
            h = model.hidden(torch.tensor([s]))[0]  # [len, d]
            states.append(h[len(s) - 1])            # h_l^m at <e>
            nll = F.cross_entropy(h[:-1] @ output_matrix.T, torch.tensor(s[1:]), reduction="sum")
            lm_sum, lm_count = lm_sum + nll, lm_count + len(s) - 1
            per_sequence.append(nll / (len(s) - 1))
    l1 = lm_sum / lm_count if lm_mean == "tokens" else torch.stack(per_sequence).mean()
    h_e = torch.stack(states)
    if head["task"] == TASK_SIMILAR:
        h_ab, h_ba = h_e[0::2], h_e[1::2]
        h_e = torch.cat([h_ab, h_ba], dim=1) if head["combine"] == COMBINE_CONCAT else h_ab + h_ba
    logits = model.head(h_e)
    if head["task"] == TASK_CHOICE:
        logits = logits.reshape(len(sequences), -1)  # [examples, options]
    if head["regression"]:
        l2 = ((logits[:, 0] - torch.tensor(targets, dtype=logits.dtype)) ** 2).mean()
    else:
        l2 = F.cross_entropy(logits, torch.tensor(labels, dtype=torch.long))
    l3 = l2 + lam * l1 if lam != 0 else l2
    return logits, l2, (l1 if lam != 0 or lm_mean != "tokens" or extended_softmax else None), l3


# --- Golden files ----------------------------------------------------------------------
# "GPT1GOLD", u32 version 1, u32 record count, then per record: u32 name length, the name,
# u32 dtype (0 float64, 1 float32, 2 int32), u32 ndim, ndim × u32 dims, the values.
# Everything little-endian, no padding.

GOLDEN_MAGIC = b"GPT1GOLD"
DTYPES = {0: "<f8", 1: "<f4", 2: "<i4"}


def write_golden(path, records):
    """records: list of (name, numpy array); the array's dtype picks the record's."""
    codes = {np.dtype(np.float64): 0, np.dtype(np.float32): 1, np.dtype(np.int32): 2}
    out = bytearray(GOLDEN_MAGIC + struct.pack("<II", 1, len(records)))
    for name, array in records:
        array = np.asarray(array)
        code = codes[array.dtype]
        shape = array.shape if array.ndim > 0 else (1,)
        out += struct.pack("<I", len(name)) + name.encode() + struct.pack("<II", code, len(shape))
        out += struct.pack("<%dI" % len(shape), *shape)
        out += np.ascontiguousarray(array, dtype=DTYPES[code]).tobytes()
    with open(path, "wb") as f:
        f.write(out)


def read_golden(path):
    data = open(path, "rb").read()
    assert data[:8] == GOLDEN_MAGIC, "%s: not a golden file" % path
    version, count = struct.unpack_from("<II", data, 8)
    assert version == 1
    at, records = 16, {}
    for _ in range(count):
        (n,) = struct.unpack_from("<I", data, at)
        name = data[at + 4:at + 4 + n].decode()
        at += 4 + n
        code, ndim = struct.unpack_from("<II", data, at)
        shape = struct.unpack_from("<%dI" % ndim, data, at + 8)
        at += 8 + 4 * ndim
        size = int(np.prod(shape)) * np.dtype(DTYPES[code]).itemsize
        records[name] = np.frombuffer(data[at:at + size], dtype=DTYPES[code]).reshape(shape)
        at += size
    assert at == len(data), "%s: %d trailing bytes" % (path, len(data) - at)
    return records


# --- Checkpoints (gpt/checkpoint.c; docs/checkpoint_format.md) ---------------------------


class CheckpointError(Exception):
    pass


def read_checkpoint(path):
    """Parses a gpt1.c checkpoint, verifying magic, version, size and CRC-32. Returns a dict
    with config, tokenizer, state and weights ({name: float32 array in gpt1.c's layout})."""
    data = open(path, "rb").read()
    if len(data) < 24 or data[:8] != b"GPT1CKPT":
        raise CheckpointError("%s: not a gpt1.c checkpoint" % path)
    version, size = struct.unpack_from("<IQ", data, 8)
    if version != 1:
        raise CheckpointError("%s: version %d, this reader knows version 1" % (path, version))
    if size != len(data):
        raise CheckpointError("%s: the header declares %d bytes, the file has %d" % (path, size, len(data)))
    (stored_crc,) = struct.unpack_from("<I", data, len(data) - 4)
    if zlib.crc32(data[:-4]) != stored_crc:  # the same CRC-32 (reflected 0xEDB88320) as gpt/io/crc32.c
        raise CheckpointError("%s: CRC mismatch" % path)
    at = 20
    ints = struct.unpack_from("<7i", data, at)
    (dropout,) = struct.unpack_from("<f", data, at + 28)
    head = struct.unpack_from("<4I", data, at + 32)
    at += 48
    config = dict(zip(["n_layers", "d_model", "n_heads", "d_ff", "n_ctx", "vocab_size", "activation"], ints))
    config.update(dropout=dropout, head_task=head[0], head_outputs=head[1], head_combine=head[2],
                  head_regression=head[3])
    kind, n_text, n_task, payload_len = struct.unpack_from("<4I", data, at)
    at += 16
    tokenizer = dict(kind=kind, n_text=n_text, n_task=n_task, payload=data[at:at + payload_len])
    at += payload_len
    step, data_rng, dropout_rng = struct.unpack_from("<3Q", data, at)
    at += 24
    (n_labels,) = struct.unpack_from("<I", data, at)  # a fine-tuned model's class names
    at += 4
    labels = []
    for _ in range(n_labels):
        (n,) = struct.unpack_from("<I", data, at)
        labels.append(data[at + 4:at + 4 + n].decode("utf-8", "replace"))
        at += 4 + n
    (count,) = struct.unpack_from("<I", data, at)
    at += 4
    table = []
    for _ in range(count):
        (n,) = struct.unpack_from("<I", data, at)
        name = data[at + 4:at + 4 + n].decode()
        at += 4 + n
        (ndim,) = struct.unpack_from("<I", data, at)
        shape = struct.unpack_from("<%dI" % ndim, data, at + 4)
        (offset,) = struct.unpack_from("<Q", data, at + 4 + 4 * ndim)
        at += 4 + 4 * ndim + 8
        table.append((name, shape, offset))
    (total,) = struct.unpack_from("<Q", data, at)
    at += 8
    values = np.frombuffer(data, dtype="<f4", count=total, offset=at)
    at += 4 * total
    if at != len(data) - 4:
        raise CheckpointError("%s: %d bytes between the values and the CRC" % (path, len(data) - 4 - at))
    weights = {name: values[o:o + int(np.prod(s))].reshape(s) for name, s, o in table}
    return dict(config=config, tokenizer=tokenizer, step=step, data_rng=data_rng, dropout_rng=dropout_rng,
                labels=labels, table=table, weights=weights)


def gpt1_payload(payload):
    """The encoder and merges texts of a gpt1 tokenizer payload (gpt/tokenizer/gpt1_payload.h):
    "gpt1.c-gpt1-tokenizer 1\n", "encoder N\n", N bytes, "\n", "merges M\n", M bytes, "\n", "end\n"."""
    magic = b"gpt1.c-gpt1-tokenizer 1\n"
    if not payload.startswith(magic):
        raise CheckpointError("the gpt1 tokenizer payload does not start with %r" % magic)
    at, parts = len(magic), []
    for field in (b"encoder", b"merges"):
        line_end = payload.index(b"\n", at)
        name, n = payload[at:line_end].split(b" ")
        if name != field:
            raise CheckpointError("expected %r in the gpt1 tokenizer payload" % field)
        n = int(n)
        parts.append(payload[line_end + 1:line_end + 1 + n].decode("utf-8"))
        at = line_end + 1 + n + 1
    if payload[at:] != b"end\n":
        raise CheckpointError("the gpt1 tokenizer payload does not end with 'end'")
    return parts


def encode(tokenizer, text):
    """gpt1.c's bytes, chars and gpt1 tokenizers (gpt/tokenizer/tokenizer.c)."""
    if tokenizer["kind"] == 0:
        return list(text)
    if tokenizer["kind"] == 3:
        import gpt1_tokenizer  # the release's bpe() and the stand-ins for ftfy and spaCy
        encoder_text, merges_text = gpt1_payload(tokenizer["payload"])
        gpt1 = gpt1_tokenizer.Gpt1Tokenizer(encoder_text=encoder_text, merges_text=merges_text)
        return gpt1.encode(text.decode("utf-8", "replace"))
    if tokenizer["kind"] == 1:
        ids = {byte: i for i, byte in enumerate(tokenizer["payload"])}
        missing = sorted(set(text) - set(ids))
        if missing:
            raise CheckpointError("byte 0x%02x is not in the %d-character vocabulary" % (missing[0], len(ids)))
        return [ids[byte] for byte in text]
    raise CheckpointError("tokenizer kind %d (bpe) is not supported by this script: it would need a port "
                          "of gpt/tokenizer/bpe_encode.c" % tokenizer["kind"])
