#!/usr/bin/env bash
# One device call: configure and build every unit and harness, then the steps named (default: all of them):
#   test      ctest (the smoke test over every unit)
#   sanitize  compute-sanitizer memcheck and racecheck on two small unit sets (two-tile and one-tile forward paths)
#   bench     the native benchmark, then PyTorch SDPA/FlexAttention peers beside it
#   profile   Nsight Compute sections for PROFILE_CASES (default dense and causal forward at S=4096)
#   tune      forward tile variants (VARIANTS="tag:DEF=1,DEF=2 ...") rebuilt for the bf16 128 benchmark units and timed
#             (TUNE_FILTER picks the cases, default every forward case; TUNE_ALLOW_SPILLS=1 builds units that spill)
# Run from the folder that holds CMakeLists.txt, native/ and bench/gpu/; logs and results go to $OUT.
set -uo pipefail
OUT=${OUT:-/tmp/na-out}
mkdir -p "$OUT"
steps=${*:-test sanitize bench}
export PATH=/usr/local/cuda/bin:$PATH
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu --format=csv,noheader

start=$(date +%s)
if ! cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >"$OUT/cmake.log" 2>&1; then
  tail -40 "$OUT/cmake.log"; exit 1
fi
if ! cmake --build build -j 16 >"$OUT/build.log" 2>&1; then
  grep -B2 -A12 -E "error|spill|FATAL" "$OUT/build.log" | head -120; exit 1
fi
echo "build: $(( $(date +%s) - start )) s"
for f in build/units/*.ptxas.log; do echo "== $(basename "$f" .ptxas.log)"; grep -E "Compiling entry|registers|spill" "$f"; done >"$OUT/ptxas.txt"
grep -A2 -E "forward_(dense|causal)_bf16_128_128|decode_dense_bf16_128_128" "$OUT/ptxas.txt" | grep -E "==|sm_90a|Used" | head -20

rc=0
for step in $steps; do
  case $step in
    test)
      (cd build && ctest -V) >"$OUT/smoke.log" 2>&1 || rc=1
      grep -E "FAIL|PASSED|FAILED|tests passed|tests failed" "$OUT/smoke.log" | head -60 ;;
    sanitize)
      for tool in memcheck racecheck; do
        for filter in "causal bf16 128" "alibi_causal fp16 64"; do
          compute-sanitizer --tool $tool --error-exitcode 3 build/na_smoke_test build/units $filter \
            >>"$OUT/sanitize.log" 2>&1 || rc=1
          echo "sanitizer $tool ($filter): $(tail -2 "$OUT/sanitize.log" | tr '\n' ' ')"
        done
      done ;;
    bench)
      build/na_bench build/units "$OUT/ours.json" | tee "$OUT/bench.log" || rc=1
      PYTHONUNBUFFERED=1 python3 bench/gpu/peers.py --ours "$OUT/ours.json" --out "$OUT/peers.json" 2>&1 \
        | grep -v Warning | tee "$OUT/peers.log" || rc=1 ;;
    profile)
      # Nsight Compute on one launch of each forward case in PROFILE_CASES (default dense and causal at S=4096).
      for case in ${PROFILE_CASES:-fwd_dense_S4096 fwd_causal_S4096}; do
        ncu --kernel-name na_flash_forward --launch-skip 3 --launch-count 1 \
          --section SpeedOfLight --section ComputeWorkloadAnalysis --section WarpStateStats --section SchedulerStats \
          --section Occupancy --section MemoryWorkloadAnalysis \
          build/na_bench build/units "$OUT/profile-$case.json" "$case" >"$OUT/profile-$case.txt" 2>&1 || rc=1
        grep -E "Duration|Throughput|Issue Slots|Issued Warp|No Eligible|Stall|Achieved Occupancy|Executed Ipc|Registers" \
          "$OUT/profile-$case.txt" | head -40
      done ;;
    tune)
      for variant in ${VARIANTS:-}; do
        tag=${variant%%:*}; defs=${variant#*:}
        dir=build/variants/$tag; mkdir -p "$dir"; cp build/units/*.fatbin "$dir/"; rm -f "$dir"/forward_*
        pids=()
        for spec in dense causal sliding_window alibi_causal softcap; do
          flags="-std=c++17|-DNA_DTYPE=bf16|-DNA_HEAD_DIM=128|-DNA_VALUE_DIM=128|-gencode=arch=compute_90a,code=sm_90a"
          for d in ${defs//,/ }; do flags="$flags|-D$d"; done
          parts="native/na_common.cuh|native/tests/mods/$spec.cuh|native/na_params.cuh|native/na_flash_forward.cu"
          cmake "-DNVCC=${NVCC:-nvcc}" "-DPARTS=$parts" "-DUNIT=$dir/f_$spec.cu" "-DLOG=$dir/$spec.log" \
            "-DOUT=$dir/forward_${spec}_bf16_128_128.fatbin" "-DFLAGS=$flags" "-DALLOW_SPILLS=${TUNE_ALLOW_SPILLS:-}" \
            -P native/cmake/compile_unit.cmake &
          pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid" || echo "variant $tag: a unit failed to build (spills?)"; done
        echo "== variant $tag ($defs): $(grep -h -E 'Used|spill' $dir/dense.log $dir/causal.log | tr -s ' ' | tr '\n' ' ')"
        build/na_bench "$dir" "$OUT/tune-$tag.json" "${TUNE_FILTER:-fwd_}" | tee -a "$OUT/tune.log"
      done ;;
  esac
done
echo "total: $(( $(date +%s) - start )) s, rc=$rc"
exit $rc
