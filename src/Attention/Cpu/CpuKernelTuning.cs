using System;
using System.Globalization;

namespace NativeAttention;

/// <summary>
/// Experiment switches of the CPU kernel, read once from the environment so that one build can be measured in several
/// variants side by side on the same machine (bench/cpu/side_by_side.sh). The fields are static readonly: the JIT
/// folds them into constants at tier 1, so a switch costs no branch in the hot loops. Unset variables keep the kernel
/// as it was before the experiment; the winners become the only code path once measured, and this type goes away.
/// </summary>
internal static class CpuKernelTuning
{
    /// <summary>
    /// NA_CPU_EXP=fast: a float-only exponential (Cody–Waite reduction, degree-7 polynomial, exponent by integer add)
    /// instead of the runtime's <c>Vector512.Exp</c>/<c>Vector256.Exp</c>, which widens to double.
    /// </summary>
    public static readonly bool FastExp = Read("NA_CPU_EXP") == "fast";

    /// <summary>
    /// NA_CPU_SOFTMAX=fused: the row max as an inline vector loop (vmaxps) instead of <c>TensorPrimitives.Max</c>, which
    /// is a call per row and propagates NaN with extra instructions.
    /// </summary>
    public static readonly bool InlineRowMax = Read("NA_CPU_SOFTMAX") == "fused";

    /// <summary>
    /// NA_CPU_BLOCK=8 or 12: rows of the register block of the 512-bit products (8 or 12 rows × 2 vectors, 16 or 24 of
    /// the 32 zmm registers) instead of 6, which was sized for the 16 ymm registers of AVX2. Ignored for 256-bit vectors.
    /// </summary>
    public static readonly int WideBlockRows = ReadInt("NA_CPU_BLOCK", 6) switch
    {
        8 => 8,
        12 => 12,
        _ => 6,
    };

    /// <summary>
    /// NA_CPU_TAIL=4: rows left after the 6-row blocks run in blocks of 4 (and a remainder of 2 as 4 + 4) rather than one
    /// row at a time, whose two FMA chains leave the FMA ports idle for most of their latency.
    /// </summary>
    public static readonly bool FourRowTails = Read("NA_CPU_TAIL") == "4";

    /// <summary>
    /// NA_CPU_ALIGN=64: each worker's scratch (query, transposed key, value, score and accumulator tiles) starts on a
    /// 64-byte boundary instead of wherever the pinned array's data lies (8- or 16-byte aligned), so that no 512-bit load
    /// or store of a tile splits across two cache lines.
    /// </summary>
    public static readonly bool AlignScratch = Read("NA_CPU_ALIGN") == "64";

    /// <summary>
    /// NA_CPU_COPYV=1: fp32 value rows are copied into the (aligned) scratch value tile, as reduced-precision ones are
    /// converted, instead of being read in place by the p·v product at whatever alignment the caller's tensor has.
    /// </summary>
    public static readonly bool CopyValues = Read("NA_CPU_COPYV") == "1";

    /// <summary>NA_CPU_TILEKV: keys per tile for head dims up to 128 (default 64); wider head dims take half.</summary>
    public static readonly int WideTileKV = Math.Clamp(ReadInt("NA_CPU_TILEKV", 64) / 16 * 16, 16, 512);

    /// <summary>NA_CPU_DOTROWS: tiles of fewer rows than this compute scores as dot products (default 4).</summary>
    public static readonly int DotProductRowLimit = Math.Clamp(ReadInt("NA_CPU_DOTROWS", 4), 0, 97);

    /// <summary>Gets the switches as one line, for the benchmark's header.</summary>
    public static string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"exp={(FastExp ? "fast" : "runtime")} softmax={(InlineRowMax ? "fused" : "tensorprimitives")} block512={WideBlockRows}x2 tail4={FourRowTails} align64={AlignScratch} copyV={CopyValues} tileKV={WideTileKV} dotRows<{DotProductRowLimit}");

    private static string? Read(string name) => Environment.GetEnvironmentVariable(name)?.Trim().ToLowerInvariant();

    private static int ReadInt(string name, int fallback) =>
        int.TryParse(Read(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
