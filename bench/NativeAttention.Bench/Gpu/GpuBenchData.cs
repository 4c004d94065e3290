using System;
using System.Threading.Tasks;

namespace NativeAttention.Bench.Gpu;

/// <summary>Random bf16 inputs in device memory and the finiteness check of an output.</summary>
internal static class GpuBenchData
{
    private const int ChunkElements = 1 << 20;

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>), the ranges peers.py uses, filled in parallel chunks.</summary>
    public static BFloat16[] Uniform(long count, float low, float high, int seed)
    {
        var values = new BFloat16[count];
        int chunks = (int)((count + ChunkElements - 1) / ChunkElements);
        Parallel.For(0, chunks, chunk =>
        {
            var random = new Random(HashCode.Combine(seed, chunk));
            long end = Math.Min(count, (long)(chunk + 1) * ChunkElements);
            for (long i = (long)chunk * ChunkElements; i < end; i++)
            {
                values[i] = (BFloat16)(low + ((high - low) * random.NextSingle()));
            }
        });
        return values;
    }

    /// <summary>Allocates <paramref name="length"/> elements and fills them with <paramref name="pattern"/> repeated.</summary>
    public static DeviceBuffer<BFloat16> Upload(CudaDevice device, long length, BFloat16[] pattern)
    {
        var buffer = new DeviceBuffer<BFloat16>(device, length);
        for (long offset = 0; offset < length; offset += pattern.Length)
        {
            int count = (int)Math.Min(pattern.Length, length - offset);
            buffer.CopyFrom(pattern.AsSpan(0, count), offset);
        }

        return buffer;
    }

    /// <summary>A packed [batch, heads, seq, dim] view of the start of <paramref name="buffer"/>.</summary>
    public static DeviceTensor<BFloat16> View(DeviceBuffer<BFloat16> buffer, int batch, int heads, int seq, int dim) =>
        new(buffer, DeviceTensorLayout.RowMajor([batch, heads, seq, dim]));

    /// <summary>Writes NaN over the first <paramref name="count"/> elements, so elements a kernel never writes fail the check.</summary>
    public static void Poison(DeviceBuffer<BFloat16> buffer, long count)
    {
        var nan = new BFloat16[Math.Min(count, ChunkElements * 16L)];
        nan.AsSpan().Fill(BFloat16.NaN);
        for (long offset = 0; offset < count; offset += nan.Length)
        {
            buffer.CopyFrom(nan.AsSpan(0, (int)Math.Min(nan.Length, count - offset)), offset);
        }
    }

    /// <summary>Counts the NaN and infinite elements among the first <paramref name="count"/> of <paramref name="buffer"/>.</summary>
    public static long CountNonFinite(DeviceBuffer<BFloat16> buffer, long count)
    {
        var host = new BFloat16[count];
        buffer.CopyTo(host);
        long bad = 0;
        foreach (BFloat16 value in host)
        {
            if (!BFloat16.IsFinite(value))
            {
                bad++;
            }
        }

        return bad;
    }
}
