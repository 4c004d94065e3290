using System;

namespace NativeAttention.Bench.Gpu;

/// <summary>The device-memory captures of the built-in variants, sized for <paramref name="heads"/> and <paramref name="seqKV"/>.</summary>
internal sealed class GpuBenchCaptures : IDisposable
{
    /// <summary>The clip distance of the relative-position bias table.</summary>
    public const int MaxDistance = 16;

    public GpuBenchCaptures(CudaDevice device, int heads, int seqKV)
    {
        Slopes = new DeviceBuffer<float>(device, heads);
        Slopes.CopyFrom(Alibi.GeometricSlopes(heads));

        var random = new Random(7);
        var bias = new float[heads * ((2 * MaxDistance) + 1)];
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = (random.NextSingle() * 2) - 1;
        }

        Bias = new DeviceBuffer<float>(device, bias.Length);
        Bias.CopyFrom(bias);

        // Documents of 256 tokens: a realistic packing, and a mask whose tiles are mostly Full or Empty.
        var documents = new int[seqKV];
        for (int i = 0; i < documents.Length; i++)
        {
            documents[i] = i / 256;
        }

        DocumentIds = new DeviceBuffer<int>(device, Math.Max(1, seqKV));
        DocumentIds.CopyFrom(documents);
    }

    public DeviceBuffer<float> Slopes { get; }

    public DeviceBuffer<float> Bias { get; }

    public DeviceBuffer<int> DocumentIds { get; }

    public void Dispose()
    {
        Slopes.Dispose();
        Bias.Dispose();
        DocumentIds.Dispose();
    }
}
