using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading;

namespace NativeAttention.Bench;

/// <summary>
/// The machine's measured memory read bandwidth: threads sum disjoint slices of a 512 MiB buffer, far beyond any
/// last-level cache, so every byte comes from DRAM.
/// </summary>
internal static unsafe class MemoryReadBandwidth
{
    private const int BufferFloats = 128 << 20;
    private static float[]? s_buffer;

    /// <summary>Gets the bytes one <see cref="RunPass"/> reads.</summary>
    public static double BytesPerPass => (double)BufferFloats * sizeof(float);

    /// <summary>Reads the whole buffer once on <paramref name="threads"/> threads.</summary>
    /// <param name="threads">The threads.</param>
    /// <returns>The seconds the pass took, scaled to the whole buffer.</returns>
    public static double RunPass(int threads) => Run(s_buffer ??= CreateBuffer(), threads);

    /// <summary>Reads the buffer on <paramref name="threads"/> threads and returns the best of five passes.</summary>
    /// <param name="threads">The reading threads.</param>
    /// <returns>GB/s (10⁹ bytes per second).</returns>
    public static double MeasureGigabytesPerSecond(int threads)
    {
        float[] buffer = s_buffer ??= CreateBuffer();
        Run(buffer, threads);
        double best = 0;
        for (int pass = 0; pass < 5; pass++)
        {
            best = Math.Max(best, BytesPerPass / Run(buffer, threads) / 1e9);
        }

        return best;
    }

    private static float[] CreateBuffer()
    {
        float[] buffer = GC.AllocateUninitializedArray<float>(BufferFloats, pinned: true);
        buffer.AsSpan().Fill(1f);
        return buffer;
    }

    private static double Run(float[] buffer, int threads)
    {
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        long slice = BufferFloats / threads / Vector256<float>.Count * Vector256<float>.Count;
        float sink = 0;
        for (int t = 0; t < threads; t++)
        {
            long first = t * slice;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                fixed (float* origin = buffer)
                {
                    Interlocked.Exchange(ref sink, Sum(origin + first, slice));
                }
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
        return clock.Elapsed.TotalSeconds * BufferFloats / (slice * threads);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float* data, long count)
    {
        int width = Vector256<float>.Count;
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        long i = 0;
        for (; i + (4 * width) <= count; i += 4 * width)
        {
            s0 += Vector256.Load(data + i);
            s1 += Vector256.Load(data + i + width);
            s2 += Vector256.Load(data + i + (2 * width));
            s3 += Vector256.Load(data + i + (3 * width));
        }

        for (; i + width <= count; i += width)
        {
            s0 += Vector256.Load(data + i);
        }

        return Vector256.Sum(s0 + s1 + s2 + s3);
    }
}
