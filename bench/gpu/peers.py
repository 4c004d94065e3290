#!/usr/bin/env python3
"""Peers beside the native benchmark, in the same run: PyTorch SDPA (flash and cuDNN backends) and FlexAttention on
the shapes bench/gpu/bench.cu times (bf16, 16 heads of 128, batch x seq = 16384), counted the same way (FLOPs =
4*B*H*D*kept pairs; decode bytes = K+V), timed the same way (CUDA events, median of 30 after 5 warm-ups). Prints
each figure, ours beside it, and ours / peer.

  python3 bench/gpu/peers.py --ours results.json [--out peers.json]
"""
import argparse
import json
import statistics

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

HEADS, DIM, TOKENS = 16, 128, 16384
WARMUP, REPS = 5, 30


def median_ms(fn):
    for _ in range(WARMUP):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(REPS):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    return statistics.median(times)


def qkv(batch, seq, q_len=None):
    g = torch.Generator(device="cuda").manual_seed(seq)
    shape = (batch, HEADS, seq, DIM)
    q = (torch.rand((batch, HEADS, q_len or seq, DIM), device="cuda", generator=g) * 4 - 2).bfloat16()
    k = (torch.rand(shape, device="cuda", generator=g) * 4 - 2).bfloat16()
    v = (torch.rand(shape, device="cuda", generator=g) * 2 - 1).bfloat16()
    return q, k, v


def causal_pairs(s):
    return s * (s + 1) / 2


def window_pairs(s, w):
    return sum(min(q + 1, w) for q in range(s))


def tflops(batch, pairs, ms):
    return 4.0 * batch * HEADS * DIM * pairs / (ms * 1e-3) / 1e12


def sdpa(backend, q, k, v, causal):
    with sdpa_kernel([backend]):
        return median_ms(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--out")
    args = ap.parse_args()
    ours = json.load(open(args.ours))
    peers = {}

    a = torch.randn(8192, 8192, device="cuda").bfloat16()
    b = torch.randn(8192, 8192, device="cuda").bfloat16()
    peers["gemm_bf16_8192"] = 2 * 8192**3 / (median_ms(lambda: a @ b) * 1e-3) / 1e12
    del a, b

    for seq in (1024, 4096, 16384):
        batch = TOKENS // seq
        q, k, v = qkv(batch, seq)
        for causal in (False, True):
            pairs = causal_pairs(seq) if causal else seq * seq
            key = f"fwd_{'causal' if causal else 'dense'}_S{seq}"
            peers[key] = {
                "sdpa_flash": tflops(batch, pairs, sdpa(SDPBackend.FLASH_ATTENTION, q, k, v, causal)),
                "sdpa_cudnn": tflops(batch, pairs, sdpa(SDPBackend.CUDNN_ATTENTION, q, k, v, causal)),
            }
        del q, k, v

    flex = torch.compile(flex_attention, dynamic=False)
    seq, batch = 4096, TOKENS // 4096
    q, k, v = qkv(batch, seq)
    slopes = torch.tensor([2.0 ** (-8.0 * (h + 1) / HEADS) for h in range(HEADS)], device="cuda")

    def causal_mask(b, h, q_idx, kv_idx):
        return kv_idx <= q_idx

    def sliding_mask(b, h, q_idx, kv_idx):
        return (kv_idx <= q_idx) & (q_idx - kv_idx < 1024)

    def alibi(score, b, h, q_idx, kv_idx):
        return score + slopes[h] * (kv_idx - q_idx)

    def softcap(score, b, h, q_idx, kv_idx):
        return 30.0 * torch.tanh(score / 30.0)

    causal_block = create_block_mask(causal_mask, None, None, seq, seq)
    sliding_block = create_block_mask(sliding_mask, None, None, seq, seq)
    flex_cases = {
        "fwd_dense_S4096": (None, None, seq * seq),
        "fwd_causal_S4096": (None, causal_block, causal_pairs(seq)),
        "fwd_sliding1024_S4096": (None, sliding_block, window_pairs(seq, 1024)),
        "fwd_alibi_causal_S4096": (alibi, causal_block, causal_pairs(seq)),
        "fwd_softcap30_S4096": (softcap, None, seq * seq),
    }
    for key, (score_mod, block_mask, pairs) in flex_cases.items():
        ms = median_ms(lambda: flex(q, k, v, score_mod=score_mod, block_mask=block_mask))
        peers.setdefault(key, {})["flex"] = tflops(batch, pairs, ms)
    del q, k, v

    batch, seq_kv = 16, 32768
    q, k, v = qkv(batch, seq_kv, q_len=1)
    kv_bytes = 2 * k.numel() * k.element_size()
    peers["decode"] = {}
    for name, backend in (("sdpa_flash", SDPBackend.FLASH_ATTENTION), ("sdpa_cudnn", SDPBackend.CUDNN_ATTENTION),
                          ("sdpa_efficient", SDPBackend.EFFICIENT_ATTENTION)):
        try:
            peers["decode"][name] = kv_bytes / (sdpa(backend, q, k, v, False) * 1e-3) / 1e12
        except RuntimeError as error:
            print(f"decode {name}: {error}")

    print(f"bf16 GEMM 8192^3 ceiling: {peers['gemm_bf16_8192']:.0f} TFLOP/s")
    print(f"{'case':26} {'ours':>8} {'flash':>8} {'cuDNN':>8} {'flex':>8}   ours/flash ours/cuDNN ours/flex")
    for key, row in peers.items():
        if not key.startswith("fwd_"):
            continue
        mine = ours.get(key, {}).get("tflops")
        cells = [row.get(n) for n in ("sdpa_flash", "sdpa_cudnn", "flex")]
        fmt = lambda x: f"{x:8.1f}" if x is not None else f"{'-':>8}"
        ratios = "  ".join(f"{mine / c:9.2f}" if (mine and c) else f"{'-':>9}" for c in cells)
        print(f"{key:26} {fmt(mine)} {' '.join(fmt(c) for c in cells)}   {ratios}")
    best_decode = max((v["tbps"] for k, v in ours.items() if k.startswith("decode")), default=None)
    print(f"decode B=16 H=16 KV=32768 (TB/s of K+V): ours(best split) {best_decode:.2f}  " +
          "  ".join(f"{n} {x:.2f}" for n, x in peers["decode"].items()))
    if args.out:
        json.dump(peers, open(args.out, "w"), indent=1)


if __name__ == "__main__":
    main()
