#!/usr/bin/env bash
# Runs on the GPU machine's Xeon from the repository root (see prepare_xeon.sh): our CPU kernel and PyTorch's CPU SDPA
# on the shapes of shapes.csv, with 1 and all threads, one after the other in the same call, then the ratios; last,
# if time allows, the JIT's AVX-512 code of the micro-kernels.
#   bash .gpu-cpu2/side_by_side.sh OUTDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/side-by-side}
mkdir -p "$out"
threads_all=16
{ lscpu | grep -E 'Model name|^CPU\(s\)|Thread|L1d|L2|L3|Flags' | sed 's/Flags:.*\(avx512f\).*/Flags: ... avx512f .../'; uptime; } > "$out/machine.txt" 2>&1

# The runtime's default tiering, as users get it: CpuComparison warms each shape up for a second before timing it.
ours() { timeout "$1" bash "$here/remote.sh" dotnet "$here/bin/NativeAttention.Bench/NativeAttention.Bench.dll" compare "$2" 1 "$threads_all"; }

ours 200 "$here/shapes.csv" < /dev/null | tee "$out/ours.csv"
timeout 100 python3 "$here/torch_sdpa.py" "$here/shapes.csv" 1 "$threads_all" | tee "$out/torch.csv"
python3 -c 'import torch; print("torch", torch.__version__, torch.backends.cpu.get_cpu_capability())' >> "$out/machine.txt" 2>&1 || true
python3 "$here/compare.py" "$out/ours.csv" "$out/torch.csv" | tee "$out/ratios.txt"

# The JIT's code of the micro-kernels on this machine (AVX2 machines cannot show the AVX-512 code), for reading register
# use and spills; skipped when the runs above left too little of the call's time.
if [ "$SECONDS" -lt 420 ]; then
  printf 'name,mask,dtype,batch,heads,kvHeads,seqQ,seqKV,dim\ndense_fp32_S1024_D64,dense,fp32,1,2,2,1024,1024,64\ndecode_fp32_KV8192_GQA8,causal,fp32,1,8,1,1,8192,128\n' > "$out/disasm_shapes.csv"
  (export DOTNET_JitStdOutFile="$out/disasm.txt" \
     DOTNET_JitDisasm='SixRowsFourVectors EightRowsTwoVectors SixRowsTwoVectors Exponentiate2AndSum RowMax UpdateSoftmaxRow Exponentiate2ColumnsAndSum ColumnMax'
   ours 30 "$out/disasm_shapes.csv") < /dev/null > /dev/null 2>&1
  gzip -f "$out/disasm.txt" 2>/dev/null || true
fi
echo "total ${SECONDS} s"
