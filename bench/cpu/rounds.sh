#!/usr/bin/env bash
# Figures on a machine whose speed moves from process to process (the Xeon, 1 thread: ±20%): ROUNDS rounds (default 4),
# each running every variant once and torch once, all as separate processes, interleaved; then every round's figure and
# the best-against-best ratio per (shape, threads). A variant is NAME:VAR=VALUE,... of environment settings (nothing
# after the colon: as is); BENCH=base in a variant runs the build prepare_xeon.sh put in base/ (BASE_REF) instead.
# THREADS (default 1) lists the thread counts. (Pinning a 1-thread process to one core with taskset starves the runtime's
# background JIT: tiered compilation then takes seconds to promote the kernels, and the first shapes time tier-0 code.)
# Runs from the folder prepare_xeon.sh fills:
#   VARIANTS="ours: old:BENCH=base" THREADS="1 16" bash .gpu-cpu/rounds.sh OUTDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/rounds}; mkdir -p "$out"
bin="$here/bin/NativeAttention.Bench"
shapes="${SHAPES:-$here/rounds_shapes.csv}"
read -ra variants <<< "${VARIANTS:-ours:}"
read -ra thread_counts <<< "${THREADS:-1}"
if [ -d "$here/base" ] && [ ! -d /tmp/bench-base ]; then
  cp -r "$bin" /tmp/bench-base && cp "$here"/base/* /tmp/bench-base/
fi
run() {  # THREADS... with the variant's environment already applied
  local dll="$bin/NativeAttention.Bench.dll"; [ "${BENCH:-}" = base ] && dll=/tmp/bench-base/NativeAttention.Bench.dll
  NA_BENCH_SKIP_CEILINGS=1 timeout 90 bash "$here/remote.sh" dotnet "$dll" compare "$shapes" "$@"
}
for i in 1 2 3; do timeout 40 bash "$here/remote.sh" dotnet "$bin/NativeAttention.Bench.dll" compare "$shapes" 16 > /dev/null 2>&1; done
echo "warm-up done at ${SECONDS} s"
for r in $(seq "${ROUNDS:-4}"); do
  for t in "${thread_counts[@]}"; do
    for v in "${variants[@]}"; do
      name=${v%%:*}; IFS=, read -ra assignments <<< "${v#*:}"
      (for a in "${assignments[@]}"; do export "${a?}"; done; run "$t") > "$out/${name}_t${t}_$r.csv" 2>&1
    done
    timeout 60 python3 "$here/torch_sdpa.py" "$shapes" "$t" > "$out/torch_t${t}_$r.csv" 2>&1
  done
  echo "round $r done at ${SECONDS} s"
done
python3 - "$out" "${variants[@]%%:*}" torch <<'PY'
import csv, glob, os, sys, collections
out, tags = sys.argv[1], sys.argv[2:]
data = collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(os.path.join(out, "*_t*_*.csv"))):
    tag = os.path.basename(f).rsplit("_", 2)[0]
    for row in csv.DictReader(l for l in open(f) if l.count(",") >= 5 and not l.startswith("#")):
        if row.get("gflops"):
            data[(row["name"], int(row["threads"]))][tag].append(float(row["gflops"]))
print("shape | threads | " + " | ".join(tags) + " | best/torch: " + " ".join(tags[:-1]))
for (name, threads), per in sorted(data.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    cells = [" ".join(f"{x:.0f}" for x in per[t]) for t in tags]
    ratios = " ".join(f"{max(per[t])/max(per['torch']):.2f}" if per[t] and per['torch'] else "-" for t in tags[:-1])
    print(f"{name} | {threads} | " + " | ".join(cells) + " | " + ratios)
PY
echo "total ${SECONDS} s"
