#!/usr/bin/env bash
# Runs on the GPU machine's Xeon from the repository root (see prepare_xeon.sh): our CPU kernel and PyTorch's CPU SDPA
# on the shapes of shapes.csv, with 1 and all threads, one after the other in the same call, then the ratios.
#   bash .gpu-cpu/side_by_side.sh OUTDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/side-by-side}
mkdir -p "$out"
threads_all=16
{ lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Flags' | sed 's/Flags:.*\(avx512f\).*/Flags: ... avx512f .../'; uptime; } > "$out/machine.txt" 2>&1
timeout 110 bash "$here/remote.sh" dotnet "$here/bin/NativeAttention.Bench/NativeAttention.Bench.dll" compare "$here/shapes.csv" 1 "$threads_all" | tee "$out/ours.csv"
timeout 100 python3 "$here/torch_sdpa.py" "$here/shapes.csv" 1 "$threads_all" | tee "$out/torch.csv"
python3 -c 'import torch; print("torch", torch.__version__, torch.backends.cpu.get_cpu_capability())' >> "$out/machine.txt" 2>&1 || true
python3 "$here/compare.py" "$out/ours.csv" "$out/torch.csv" | tee "$out/ratios.txt"
