#!/usr/bin/env bash
# Run in this worktree: builds the bench for the GPU machine (no SDK there, only the carried runtime), trims it, and
# puts it with these scripts in /work/main/FOLDER (default .gpu-cpu), the folder the device tool carries from /work/main.
#   bash bench/cpu/prepare_xeon.sh [FOLDER]
# Then: run carry ["FOLDER"], command "bash FOLDER/side_by_side.sh $OUT" (or rounds.sh for 1-thread figures).
# BASE_REF=REF also builds REF's bench in a scratch worktree and puts its own assemblies in FOLDER/base, which rounds.sh
# runs for variants that set BENCH=base (an A/B of two commits in one call).
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
# gpu-prep writes .git/info/exclude, which is a file, not a folder, in a worktree: run a copy without that line.
sed '/info\/exclude/d' /work/shared/tools/gpu-prep > /tmp/gpu-prep-cpufast
bash /tmp/gpu-prep-cpufast bench/NativeAttention.Bench
bin=.gpu/bin/NativeAttention.Bench
find "$bin" -mindepth 1 -maxdepth 1 -type d ! -name runtimes -exec rm -rf {} +
find "$bin/runtimes" -mindepth 1 -maxdepth 1 -type d ! -name linux-x64 -exec rm -rf {} + 2>/dev/null || true
dest=/work/main/${1:-.gpu-cpu}
rm -rf "$dest"
# Only the bench and the runtime: .gpu may hold other projects' builds from earlier gpu-prep runs.
mkdir -p "$dest/bin"
cp -r "$bin" "$dest/bin/"
cp .gpu/dotnet-runtime.* .gpu/remote.sh "$dest/"
cp bench/cpu/shapes.csv bench/cpu/torch_sdpa.py bench/cpu/compare.py bench/cpu/side_by_side.sh bench/cpu/rounds.sh bench/cpu/final_call.sh \
  bench/cpu/rounds_shapes.csv "$dest/"
if [ -n "${BASE_REF:-}" ]; then
  scratch=/tmp/prepare-xeon-base
  git worktree remove --force "$scratch" 2>/dev/null || rm -rf "$scratch"
  git worktree add --detach "$scratch" "$BASE_REF" > /dev/null
  dotnet build "$scratch/bench/NativeAttention.Bench" -c Release -v q -nologo > /dev/null
  mkdir -p "$dest/base"
  cp "$scratch"/bench/NativeAttention.Bench/bin/Release/net10.0/NativeAttention*.dll "$dest/base/"
  git worktree remove --force "$scratch"
fi
du -sh "$dest"
