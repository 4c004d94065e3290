#!/usr/bin/env bash
# 1-thread figures on a machine whose single-thread speed moves from process to process (the Xeon: ±20%): ROUNDS rounds
# (default 4), each running every variant once and torch once, all as separate processes, interleaved; then every
# round's figure and the best-against-best ratio per shape. A variant is NAME:VAR=VALUE,... of environment settings
# (nothing after the colon: as is). Runs from the folder prepare_xeon.sh fills:
#   VARIANTS="ours:" bash .gpu-cpu/rounds.sh OUTDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/rounds}; mkdir -p "$out"
B="$here/bin/NativeAttention.Bench/NativeAttention.Bench.dll"
shapes="$here/rounds_shapes.csv"
read -ra variants <<< "${VARIANTS:-ours:}"
for i in 1 2 3; do timeout 40 bash "$here/remote.sh" dotnet "$B" compare "$shapes" 16 > /dev/null 2>&1; done
echo "warm-up done at ${SECONDS} s"
for r in $(seq ${ROUNDS:-4}); do
  for v in "${variants[@]}"; do
    name=${v%%:*}; IFS=, read -ra assignments <<< "${v#*:}"
    env "${assignments[@]}" timeout 60 bash "$here/remote.sh" dotnet "$B" compare "$shapes" 1 > "$out/${name}_$r.csv" 2>&1
  done
  timeout 40 python3 "$here/torch_sdpa.py" "$shapes" 1 > "$out/torch_$r.csv" 2>&1
  echo "round $r done at ${SECONDS} s"
done
python3 - "$out" ${variants[@]%%:*} torch <<'PY'
import csv, glob, os, sys, collections
out, tags = sys.argv[1], [t.split(":")[0] for t in sys.argv[2:]]
data = collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(os.path.join(out, "*_*.csv"))):
    tag = os.path.basename(f).rsplit("_", 1)[0]
    for row in csv.DictReader(l for l in open(f) if l.count(",") >= 5 and not l.startswith("#")):
        if row.get("threads") == "1" and row.get("gflops"):
            data[row["name"]][tag].append(float(row["gflops"]))
print("shape | " + " | ".join(tags) + " | best/torch: " + " ".join(tags[:-1]))
for name, per in data.items():
    cells = [" ".join(f"{x:.0f}" for x in per[t]) for t in tags]
    ratios = " ".join(f"{max(per[t])/max(per['torch']):.2f}" if per[t] and per['torch'] else "-" for t in tags[:-1])
    print(f"{name} | " + " | ".join(cells) + " | " + ratios)
PY
echo "total ${SECONDS} s"
