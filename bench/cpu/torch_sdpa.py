"""PyTorch's CPU scaled_dot_product_attention on the shapes of shapes.csv; prints the same CSV as our 'compare' mode.

Usage: python3 torch_sdpa.py shapes.csv THREADS...
Causal with seqQ == seqKV uses is_causal=True. A decode row (seqQ == 1, bottom-right aligned) sees every key, so it
runs with is_causal=False: torch aligns is_causal top-left and would keep key 0 only.
"""
import csv
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def kept_pairs(mask, rows, seq_q, seq_kv):
    if mask == "dense":
        return rows * seq_q * seq_kv
    return rows * sum(min(max(i + seq_kv - seq_q + 1, 0), seq_kv) for i in range(seq_q))


def measure(fn, minimum_seconds=0.3, minimum_repeats=3):
    fn()
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < minimum_repeats or time.perf_counter() - start < minimum_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    shapes_path, thread_counts = sys.argv[1], [int(t) for t in sys.argv[2:]]
    print("impl,name,threads,median_ms,best_ms,gflops,kv_gbps", flush=True)
    torch.manual_seed(0)
    with open(shapes_path) as handle:
        rows = [r for r in csv.DictReader(line for line in handle if not line.startswith("#"))]
    for r in rows:
        b, h, kvh, sq, skv, d = (int(r[k]) for k in ("batch", "heads", "kvHeads", "seqQ", "seqKV", "dim"))
        dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[r["dtype"]]
        q = torch.randn(b, h, sq, d).to(dtype)
        k = torch.randn(b, kvh, skv, d).to(dtype)
        v = torch.randn(b, kvh, skv, d).to(dtype)
        causal = r["mask"] == "causal" and sq > 1
        if causal and sq != skv:
            raise SystemExit(f"{r['name']}: torch's is_causal is top-left aligned; only seqQ == seqKV or seqQ == 1 compare")
        flops = 4.0 * kept_pairs(r["mask"], b * h, sq, skv) * d
        kv_bytes = 2.0 * b * kvh * skv * d * (4 if dtype == torch.float32 else 2)
        for threads in thread_counts:
            torch.set_num_threads(threads)

            def call():
                with torch.inference_mode():
                    F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=(h != kvh))

            median, best = measure(call)
            print(f"torch,{r['name']},{threads},{median * 1e3:.3f},{best * 1e3:.3f},{flops / median / 1e9:.2f},{kv_bytes / median / 1e9:.2f}", flush=True)


if __name__ == "__main__":
    main()
