"""The training step of `gpt bench` in PyTorch, for side-by-side timing (a
development tool, not a test): the same model (gpt1_reference.GPT1: post-LN, tied
output), the same batch shape, random tokens, forward + backward + plain SGD, on
--threads threads (default 1), the median of N steps after two warm-up steps.

    /usr/bin/python3 tests/reference/bench_reference.py --preset tiny --batch 8 --seq 64
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tests/reference/bench_reference.py --threads 2

(PyTorch's OpenMP threads spin between operations unless OMP_WAIT_POLICY=PASSIVE.)
The peak resident memory includes the interpreter and PyTorch's libraries (about
240 MB before the model exists). tests/reference/bench_side_by_side.sh runs this
beside `gpt bench` for the three steps of `make bench`.
"""

import argparse
import os
import resource
import statistics
import time

import torch
import torch.nn.functional as F

from gpt1_reference import GPT1, RELU, GELU

PRESETS = {  # gpt/config.c
    "nano": dict(n_layers=3, d_model=48, n_heads=3, d_ff=192, n_ctx=64, vocab_size=256, activation=RELU),
    "tiny": dict(n_layers=4, d_model=128, n_heads=4, d_ff=512, n_ctx=64, vocab_size=256, activation=RELU),
    "small": dict(n_layers=6, d_model=384, n_heads=6, d_ff=1536, n_ctx=256, vocab_size=256, activation=RELU),
    "gpt1": dict(n_layers=12, d_model=768, n_heads=12, d_ff=3072, n_ctx=512, vocab_size=40478, activation=GELU),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", default="tiny", choices=PRESETS)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--seq", type=int, default=0)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config = PRESETS[args.preset]
    seq = args.seq or config["n_ctx"]
    model = GPT1(config).float()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
    tokens = torch.randint(config["vocab_size"], (args.batch, seq))
    targets = torch.randint(config["vocab_size"], (args.batch, seq))
    times = []
    for step in range(args.steps + 2):
        start = time.perf_counter()
        logits = model(tokens)
        loss = F.cross_entropy(logits.reshape(-1, config["vocab_size"]), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step >= 2:
            times.append(time.perf_counter() - start)
    ms = 1000 * statistics.median(times)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB
    wait_policy = os.environ.get("OMP_WAIT_POLICY", "default").lower()
    print("bench: name=train_step_pytorch preset=%s batch=%d seq=%d threads=%d omp_wait_policy=%s "
          "ms_per_step=%.1f tokens_per_s=%.0f peak_rss_mb=%.0f"
          % (args.preset, args.batch, seq, args.threads, wait_policy, ms, args.batch * seq / (ms / 1000),
             peak_rss_mb))


if __name__ == "__main__":
    main()
