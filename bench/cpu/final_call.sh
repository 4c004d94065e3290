#!/usr/bin/env bash
# One Xeon call for bench/RESULTS.md: side_by_side.sh (every shape of shapes.csv, ours then torch, 1 and 16 threads),
# then rounds.sh (ROUNDS, default 4, interleaved with torch; VARIANTS and THREADS as rounds.sh takes them, default our
# build on 1 thread), all raw files packed in OUTDIR/raw.tar.gz
# (the device tool returns only a few files per call). Runs from the folder prepare_xeon.sh fills:
#   bash .gpu-cpu/final_call.sh OUTDIR
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/final-call}
mkdir -p "$out/side" "$out/rounds"
bash "$here/side_by_side.sh" "$out/side" > "$out/side.txt" 2>&1
VARIANTS=${VARIANTS:-ours:} THREADS=${THREADS:-1} ROUNDS=${ROUNDS:-4} bash "$here/rounds.sh" "$out/rounds" > "$out/rounds.txt" 2>&1
tar -C "$out" -czf "$out/raw.tar.gz" side rounds && rm -rf "$out/side" "$out/rounds"
cat "$out/side.txt" "$out/rounds.txt" | grep -v '^ours,\|^torch,\|^#'
echo "total ${SECONDS} s"
