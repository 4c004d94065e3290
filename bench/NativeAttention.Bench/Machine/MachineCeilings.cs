using System.Collections.Concurrent;

namespace NativeAttention.Bench;

/// <summary>The measured ceilings per thread count, measured once per process and reused by every column and summary.</summary>
internal static class MachineCeilings
{
    private static readonly ConcurrentDictionary<int, double> s_fma = new();
    private static readonly ConcurrentDictionary<int, double> s_read = new();

    /// <summary>Gets the peak FMA rate on <paramref name="threads"/> threads, in GFLOP/s.</summary>
    /// <param name="threads">The threads.</param>
    /// <returns>The best of five rounds.</returns>
    public static double FmaGflops(int threads) => s_fma.GetOrAdd(threads, PeakFma.MeasureGflops);

    /// <summary>Gets the memory read bandwidth on <paramref name="threads"/> threads, in GB/s.</summary>
    /// <param name="threads">The threads.</param>
    /// <returns>The best of five passes.</returns>
    public static double ReadGigabytesPerSecond(int threads) => s_read.GetOrAdd(threads, MemoryReadBandwidth.MeasureGigabytesPerSecond);
}
