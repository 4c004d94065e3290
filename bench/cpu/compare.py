"""Sets our CSV beside torch's (same shapes, same threads) and prints ours/torch throughput ratios.

Usage: python3 compare.py ours.csv torch.csv
"""
import csv
import sys


def load(path):
    with open(path) as handle:
        return {(r["name"], int(r["threads"])): r for r in csv.DictReader(handle) if r.get("impl") in ("ours", "torch")}


def main():
    ours, torch_rows = load(sys.argv[1]), load(sys.argv[2])
    print(f"{'shape':<30} {'thr':>3} {'ours GFLOP/s':>12} {'torch GFLOP/s':>13} {'ours/torch':>10} {'ours KV GB/s':>12} {'torch KV GB/s':>13}")
    for key in sorted(ours, key=lambda k: (list(ours).index(k))):
        if key not in torch_rows:
            continue
        a, b = ours[key], torch_rows[key]
        ratio = float(b["median_ms"]) / float(a["median_ms"])
        print(f"{key[0]:<30} {key[1]:>3} {float(a['gflops']):>12.1f} {float(b['gflops']):>13.1f} {ratio:>9.2f}x {float(a['kv_gbps']):>12.1f} {float(b['kv_gbps']):>13.1f}")


if __name__ == "__main__":
    main()
