using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;

namespace NativeAttention.Bench;

/// <summary>
/// The machine's measured fused multiply-add ceiling in float32: every thread runs twelve independent FMA chains on
/// the widest accelerated vector, enough to cover the FMA latency on both pipes of current x64 cores.
/// </summary>
internal static class PeakFma
{
    private const int Chains = 12;
    private const long IterationsPerRound = 1 << 23;

    /// <summary>Gets the widest vector the chains use.</summary>
    public static string Width => Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256";

    /// <summary>Gets the flops one <see cref="RunRound"/> performs on each thread.</summary>
    public static double FlopsPerThreadRound => (double)IterationsPerRound * Chains * 2 * FloatsPerVector;

    /// <summary>Runs one round of the chains on <paramref name="threads"/> threads.</summary>
    /// <param name="threads">The threads.</param>
    /// <returns>The seconds the round took.</returns>
    public static double RunRound(int threads) => Run(threads, IterationsPerRound);

    /// <summary>Runs the chains on <paramref name="threads"/> threads and returns the best of five rounds.</summary>
    /// <param name="threads">The threads, each pinned to nothing; the OS spreads them over the cores.</param>
    /// <returns>GFLOP/s (an FMA counts two).</returns>
    public static double MeasureGflops(int threads)
    {
        double best = 0;
        Run(threads, IterationsPerRound / 8);
        for (int round = 0; round < 5; round++)
        {
            double seconds = Run(threads, IterationsPerRound);
            best = Math.Max(best, threads * FlopsPerThreadRound / seconds / 1e9);
        }

        return best;
    }

    private static int FloatsPerVector => Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count;

    private static double Run(int threads, long iterations)
    {
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        float sink = 0;
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                float result = Vector512.IsHardwareAccelerated ? Chains512(iterations) : Chains256(iterations);
                Interlocked.Exchange(ref sink, result);
            });
            workers[t].Start();
        }

        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        clock.Stop();
        GC.KeepAlive(sink);
        return clock.Elapsed.TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long iterations)
    {
        Vector256<float> a = Vector256.Create(0.999999f), b = Vector256.Create(1e-7f);
        Vector256<float> s0 = Vector256.Create(1f), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        Vector256<float> s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (long i = 0; i < iterations; i++)
        {
            s0 = Vector256.FusedMultiplyAdd(s0, a, b);
            s1 = Vector256.FusedMultiplyAdd(s1, a, b);
            s2 = Vector256.FusedMultiplyAdd(s2, a, b);
            s3 = Vector256.FusedMultiplyAdd(s3, a, b);
            s4 = Vector256.FusedMultiplyAdd(s4, a, b);
            s5 = Vector256.FusedMultiplyAdd(s5, a, b);
            s6 = Vector256.FusedMultiplyAdd(s6, a, b);
            s7 = Vector256.FusedMultiplyAdd(s7, a, b);
            s8 = Vector256.FusedMultiplyAdd(s8, a, b);
            s9 = Vector256.FusedMultiplyAdd(s9, a, b);
            s10 = Vector256.FusedMultiplyAdd(s10, a, b);
            s11 = Vector256.FusedMultiplyAdd(s11, a, b);
        }

        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long iterations)
    {
        Vector512<float> a = Vector512.Create(0.999999f), b = Vector512.Create(1e-7f);
        Vector512<float> s0 = Vector512.Create(1f), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        Vector512<float> s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (long i = 0; i < iterations; i++)
        {
            s0 = Vector512.FusedMultiplyAdd(s0, a, b);
            s1 = Vector512.FusedMultiplyAdd(s1, a, b);
            s2 = Vector512.FusedMultiplyAdd(s2, a, b);
            s3 = Vector512.FusedMultiplyAdd(s3, a, b);
            s4 = Vector512.FusedMultiplyAdd(s4, a, b);
            s5 = Vector512.FusedMultiplyAdd(s5, a, b);
            s6 = Vector512.FusedMultiplyAdd(s6, a, b);
            s7 = Vector512.FusedMultiplyAdd(s7, a, b);
            s8 = Vector512.FusedMultiplyAdd(s8, a, b);
            s9 = Vector512.FusedMultiplyAdd(s9, a, b);
            s10 = Vector512.FusedMultiplyAdd(s10, a, b);
            s11 = Vector512.FusedMultiplyAdd(s11, a, b);
        }

        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }
}
