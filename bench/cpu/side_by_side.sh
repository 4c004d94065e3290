#!/usr/bin/env bash
# Runs on the GPU machine's Xeon from the repository root (see prepare_xeon.sh), in one device call of at most ~6 min:
#  1. our CPU kernel with its defaults and PyTorch's CPU SDPA on every shape of shapes.csv, 1 and all threads, then
#     the ratios (ours.csv, torch.csv, ratios.txt);
#  2. each kernel variant of variants.txt (NA_CPU_* switches, src/Attention/Cpu/CpuKernelTuning.cs) on the shorter
#     shapes_variants.csv, in order, while the time budget lasts (variant_<name>.csv);
#  3. one table of every variant beside torch and the defaults (variants.md).
#   bash .gpu-cpu/side_by_side.sh OUTDIR [BUDGET_SECONDS]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/side-by-side}
budget=${2:-330}
threads_all=16
mkdir -p "$out"
{ lscpu | grep -E 'Model name|^CPU\(s\)|Thread|L1d|L2|L3|Flags' | sed 's/Flags:.*\(avx512f\).*/Flags: ... avx512f .../'; uptime; } > "$out/machine.txt" 2>&1
ours() { timeout "$1" bash "$here/remote.sh" dotnet "$here/bin/NativeAttention.Bench/NativeAttention.Bench.dll" compare "$2" 1 "$threads_all"; }

ours 110 "$here/shapes.csv" < /dev/null | tee "$out/ours.csv"
timeout 100 python3 "$here/torch_sdpa.py" "$here/shapes.csv" 1 "$threads_all" | tee "$out/torch.csv"
python3 -c 'import torch; print("torch", torch.__version__, torch.backends.cpu.get_cpu_capability())' >> "$out/machine.txt" 2>&1 || true
python3 "$here/compare.py" "$out/ours.csv" "$out/torch.csv" | tee "$out/ratios.txt"

while read -r name switches; do
  case "$name" in ''|'#'*) continue ;; esac
  left=$((budget - SECONDS))
  if [ "$left" -lt 25 ]; then
    echo "$name: not run, $left s of the budget left" | tee -a "$out/skipped.txt"
    continue
  fi
  echo "== variant $name ($switches), $left s left"
  # shellcheck disable=SC2086 # the switches are separate NAME=VALUE words
  (export NA_BENCH_CEILINGS=0 $switches; ours $((left < 45 ? left : 45)) "$here/shapes_variants.csv") \
    < /dev/null > "$out/variant_$name.csv" 2> "$out/variant_$name.err"
  grep -v '^#' "$out/variant_$name.csv" | tail -n +2 | cut -d, -f2,3,6,7 | tr '\n' ' '; echo
done < "$here/variants.txt"

python3 "$here/variants.py" "$out" "$here/variants.txt" | tee "$out/variants.md"

# The JIT's AVX-512 code of the micro-kernels (this machine only: AVX2 machines cannot show it), from a short run with
# every experiment switch on, for reading register use and spills.
if [ "$SECONDS" -lt $((budget + 5)) ]; then
  printf 'name,mask,dtype,batch,heads,kvHeads,seqQ,seqKV,dim\ndense_fp32_S1024_D64,dense,fp32,1,2,2,1024,1024,64\ndecode_fp32_KV8192_GQA8,causal,fp32,1,8,1,1,8192,128\n' > "$out/disasm_shapes.csv"
  (export NA_BENCH_CEILINGS=0 NA_CPU_EXP=fast NA_CPU_SOFTMAX=fused NA_CPU_BLOCK=8 NA_CPU_TILEKV=128 NA_CPU_ALIGN=64 NA_CPU_COPYV=1 NA_CPU_DOTROWS=9 \
     DOTNET_JitStdOutFile="$out/disasm.txt" \
     DOTNET_JitDisasm='SixRowsTwoVectors EightRowsTwoVectors TwelveRowsTwoVectors EightRowsTwoKeys ExponentiateAndSum RowMax UpdateSoftmaxRow'
   ours 15 "$out/disasm_shapes.csv") < /dev/null > /dev/null 2>&1
  gzip -f "$out/disasm.txt" 2>/dev/null || true
fi
echo "total ${SECONDS} s"
