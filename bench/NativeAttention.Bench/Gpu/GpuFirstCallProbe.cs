using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Text.Json;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// The child side of the warm-disk first-call measurement: in a fresh process, one variant's first Forward call (kernel
/// images read from the disk cache, modules loaded, tile map built) timed from before the call until the stream is
/// synchronized, then a second call the same way. Prints one <see cref="Marker"/> line of JSON.
/// </summary>
internal static class GpuFirstCallProbe
{
    public const string Marker = "first-call-json: ";

    private const int Heads = 16;
    private const int Seq = 1024;
    private const int HeadDim = 128;

    public static int Run(CudaDevice device, string name, TextWriter writer)
    {
        if (!GpuBenchVariants.TryGet(name, out GpuBenchVariant variant))
        {
            writer.WriteLine($"gpu first-call: unknown variant '{name}'.");
            return 2;
        }

        long elements = (long)Heads * Seq * HeadDim;
        using var stream = new CudaStream(device);
        using DeviceBuffer<BFloat16> query = GpuBenchData.Upload(device, elements, GpuBenchData.Uniform(elements, -2, 2, 1));
        using DeviceBuffer<BFloat16> key = GpuBenchData.Upload(device, elements, GpuBenchData.Uniform(elements, -2, 2, 2));
        using DeviceBuffer<BFloat16> value = GpuBenchData.Upload(device, elements, GpuBenchData.Uniform(elements, -1, 1, 3));
        using var output = new DeviceBuffer<BFloat16>(device, elements);
        using var captures = new GpuBenchCaptures(device, Heads, Seq);
        DeviceTensor<BFloat16> q = GpuBenchData.View(query, 1, Heads, Seq, HeadDim);
        DeviceTensor<BFloat16> k = GpuBenchData.View(key, 1, Heads, Seq, HeadDim);
        DeviceTensor<BFloat16> v = GpuBenchData.View(value, 1, Heads, Seq, HeadDim);
        DeviceTensor<BFloat16> o = GpuBenchData.View(output, 1, Heads, Seq, HeadDim);
        GpuBenchData.Poison(output, elements);
        stream.Synchronize();

        double first = TimeCall(() => variant.Launch(q, k, v, o, captures, stream), stream);
        double second = TimeCall(() => variant.Launch(q, k, v, o, captures, stream), stream);
        long bad = GpuBenchData.CountNonFinite(output, elements);
        if (bad != 0)
        {
            writer.WriteLine($"gpu first-call {name}: {bad} of {elements} output elements are NaN or infinite.");
            return 1;
        }

        var figures = new GpuFirstCallFigures(name, first, second, KernelCache.Default.CompileCount, KernelCache.Default.DiskHitCount);
        writer.WriteLine(Marker + JsonSerializer.Serialize(figures));
        return 0;
    }

    public static bool TryParse(string output, [NotNullWhen(true)] out GpuFirstCallFigures? figures)
    {
        figures = null;
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                figures = JsonSerializer.Deserialize<GpuFirstCallFigures>(line[Marker.Length..]);
            }
        }

        return figures is not null;
    }

    private static double TimeCall(Action call, CudaStream stream)
    {
        long start = Stopwatch.GetTimestamp();
        call();
        stream.Synchronize();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
