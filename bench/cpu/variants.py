"""Sets every kernel variant of one side_by_side.sh call beside torch and beside our defaults, shape by shape.

Usage: python3 variants.py OUTDIR VARIANTS_TXT
Reads OUTDIR/ours.csv (defaults, full shape list), OUTDIR/torch.csv and OUTDIR/variant_<name>.csv in the order of
VARIANTS_TXT. Each cell is GFLOP/s (prefill) or GB/s of K+V (decode), then ours/torch as a time ratio; the last column
names the fastest variant of the row and its gain over the defaults measured in the same call.
"""
import csv
import os
import sys


def load(path):
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {(r["name"], int(r["threads"])): r for r in rows if r.get("impl") in ("ours", "torch")}


def metric(row):
    return float(row["kv_gbps"]) if row["name"].startswith("decode") else float(row["gflops"])


def main():
    out, variants_txt = sys.argv[1], sys.argv[2]
    names = []
    with open(variants_txt) as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                names.append(line.split()[0])
    torch_rows = load(os.path.join(out, "torch.csv"))
    base = load(os.path.join(out, "ours.csv"))
    variants = [(n, load(os.path.join(out, f"variant_{n}.csv"))) for n in names]
    variants = [(n, v) for n, v in variants if v]
    keys = []
    for _, v in variants:
        keys.extend(k for k in v if k not in keys)
    header = ["shape", "thr", "torch", "defaults"] + [n for n, _ in variants] + ["fastest (vs defaults)"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for key in keys:
        cells = [key[0], str(key[1])]
        t = torch_rows.get(key)
        cells.append(f"{metric(t):.1f}" if t else "-")
        candidates = [("defaults", base.get(key))] + [(n, v.get(key)) for n, v in variants]
        for _, row in candidates:
            if row is None:
                cells.append("-")
            elif t:
                cells.append(f"{metric(row):.1f} ({float(t['median_ms']) / float(row['median_ms']):.2f}x)")
            else:
                cells.append(f"{metric(row):.1f}")
        measured = [(n, r) for n, r in candidates if r is not None]
        best_name, best = min(measured, key=lambda nr: float(nr[1]["median_ms"]))
        gain = f"{float(base[key]['median_ms']) / float(best['median_ms']):.2f}x" if key in base else "-"
        cells.append(f"{best_name} ({gain})")
        print(" | ".join(cells))


if __name__ == "__main__":
    main()
