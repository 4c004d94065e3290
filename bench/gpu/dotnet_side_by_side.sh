#!/usr/bin/env bash
# One device call: the GPU benchmarks through the generated .NET API (the bench executable's `gpu` command: cold
# compile and warm-disk first call per built-in variant, prefill, decode), then the PyTorch peers on the same shapes
# (peers.py reads our JSON and prints ratios and the bf16 GEMM ceiling), then .NET beside the committed native figures
# and the ANCHORS targets. Run from the repository root; this script's folder must hold what gpu-prep made (remote.sh,
# dotnet-runtime.tar.xz, bin/NativeAttention.Bench/) and peers.py. Results go to $OUT.
#   bash .gpu-bench/dotnet_side_by_side.sh [extra arguments for `gpu`, e.g. prefill decode]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/na-out}
mkdir -p "$OUT"
native=${NATIVE_JSON:-bench/gpu/results/h200-ours.json}
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu --format=csv,noheader | tee "$OUT/gpu.txt"

rc=0
start=$(date +%s)
bash "$here/remote.sh" dotnet "$here/bin/NativeAttention.Bench/NativeAttention.Bench.dll" gpu --json "$OUT/dotnet.json" "$@" 2>&1 \
  | tee "$OUT/dotnet.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
echo ".NET benchmarks: $(( $(date +%s) - start )) s"
[ -f "$OUT/dotnet.json" ] || { echo "no .NET figures"; exit 1; }

PYTHONUNBUFFERED=1 python3 "$here/peers.py" --ours "$OUT/dotnet.json" --out "$OUT/peers.json" 2>&1 | grep -v Warning | tee "$OUT/peers.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1

python3 - "$OUT/dotnet.json" "$native" "$OUT/peers.json" <<'PY' | tee "$OUT/side-by-side.txt"
import json, os, sys
dotnet = json.load(open(sys.argv[1]))
native = json.load(open(sys.argv[2])) if os.path.exists(sys.argv[2]) else {}
peers = json.load(open(sys.argv[3])) if os.path.exists(sys.argv[3]) else {}
targets = {"fwd_dense_S4096": 344, "fwd_causal_S4096": 288, "fwd_sliding1024_S4096": 285,
           "fwd_alibi_causal_S4096": 267, "fwd_softcap30_S4096": 194, "decode": 3.5}
native_decode = max((v["tbps"] for k, v in native.items() if k.startswith("decode")), default=None)
fmt = lambda x, w=8, p=1: f"{x:{w}.{p}f}" if x is not None else f"{'-':>{w}}"
print(f"\n.NET API beside the native benchmark ({sys.argv[2]}, an earlier call) and the best peer of this call")
if "gemm_bf16_8192" in peers:
    print(f"bf16 GEMM 8192^3 ceiling (this call): {peers['gemm_bf16_8192']:.0f} TFLOP/s")
print(f"{'case':26} {'.NET':>8} {'native':>8} {'.NET/nat':>8} {'peer best':>9} {'.NET/peer':>9} {'host us':>8} {'b2b':>8} {'target':>7} met")
for key, row in dotnet.items():
    if not (key.startswith("fwd_") or key == "decode"):
        continue
    rate = "tflops" if key.startswith("fwd_") else "tbps"
    mine = row[rate]
    nat = native.get(key, {}).get(rate) if rate == "tflops" else native_decode
    peer = max(peers.get(key, {}).values(), default=None)
    b2b = row["ms"] / row["back_to_back_ms"] * mine
    target = targets.get(key)
    met = "" if target is None else ("yes" if mine >= target else "no")
    print(f"{key:26} {fmt(mine, 8, 2 if rate == 'tbps' else 1)} {fmt(nat, 8, 2 if rate == 'tbps' else 1)} "
          f"{fmt(mine / nat if nat else None, 8, 2)} {fmt(peer, 9, 2 if rate == 'tbps' else 1)} "
          f"{fmt(mine / peer if peer else None, 9, 2)} {fmt(row['host_us'])} {fmt(b2b, 8, 2 if rate == 'tbps' else 1)} "
          f"{fmt(target, 7, 1)} {met}")
compile = dotnet.get("compile")
if compile:
    print(f"\ncompile: NVRTC first use {compile['nvrtc_first_use_ms']:.0f} ms; targets: cold bf16 d128 forward unit < 2000 ms, "
          "warm-disk first call < 20 ms (FlexAttention: 1.5-5 s)")
    print(f"{'variant':22} {'cold fwd':>9} {'cold cls':>9} {'cold sum':>9} {'met':>4} {'1st call':>9} {'met':>4} {'2nd':>7} {'child compiles':>15} | {'read':>6} {'load':>6} {'call':>6}")
    for name, c in compile.items():
        if not isinstance(c, dict):
            continue
        cold = c["forward_cold_ms"] + c.get("classify_cold_ms", 0)
        first = c.get("warm_disk_first_call_ms")
        print(f"{name:22} {c['forward_cold_ms']:9.0f} {fmt(c.get('classify_cold_ms'), 9, 0)} {cold:9.0f} "
              f"{'yes' if c['forward_cold_ms'] < 2000 else 'no':>4} {fmt(first, 9, 1)} "
              f"{('yes' if first < 20 else 'no') if first is not None else '-':>4} {fmt(c.get('second_call_ms'), 7, 2)} "
              f"{c.get('child_compiles', '-'):>15} | {fmt(c.get('phase_read_ms'), 6)} {fmt(c.get('phase_load_ms'), 6)} "
              f"{fmt(c.get('phase_first_call_ms'), 6)}")
    print("(read/load/call: a second child's first call split into image read from disk, module load, and the call itself)")
scratch = dotnet.get("scratch_allocation")
if scratch:
    print(f"\ndecode scratch ({scratch['bytes']} bytes): {scratch['after_synchronize_us']:.1f} us per call's allocations "
          f"after a synchronize, {scratch['back_to_back_us']:.1f} us back to back")
PY
echo "total: $(( $(date +%s) - start )) s, rc=$rc"
exit $rc
