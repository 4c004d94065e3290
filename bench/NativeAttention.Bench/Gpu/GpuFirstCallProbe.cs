using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Text.Json;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// The child side of the warm-disk first-call measurement: in a fresh process, one variant's first Forward call (kernel
/// images read from the disk cache, modules loaded, tile map built) timed from before the call until the stream is
/// synchronized, then a second call the same way. Prints one <see cref="Marker"/> line of JSON. With
/// <c>phases</c> it first reads the images from the disk cache and loads them as modules, each step timed, so that
/// the first call's cost can be split (printed as a <see cref="PhasesMarker"/> line).
/// </summary>
internal static class GpuFirstCallProbe
{
    public const string Marker = "first-call-json: ";

    public const string PhasesMarker = "first-call-phases-json: ";

    private const int Heads = 16;
    private const int Seq = 1024;
    private const int HeadDim = 128;

    public static int Run(CudaDevice device, string name, bool phases, TextWriter writer)
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

        double read = 0;
        double load = 0;
        if (phases)
        {
            string target = GpuArchitecture.Select(device);
            string source = variant.Descriptor.CudaSource;
            bool masked = variant.Descriptor.HasMaskMod;
            read = TimeCall(() =>
            {
                new GpuCompileUnit(GpuKernelTemplate.FlashForward, source, GpuDataType.BFloat16, HeadDim, HeadDim).Compile(KernelCache.Default, target);
                if (masked)
                {
                    new GpuCompileUnit(GpuKernelTemplate.ClassifyTiles, source, GpuDataType.BFloat16, 64, 64).Compile(KernelCache.Default, target);
                }
            }, stream);
            load = TimeCall(() =>
            {
                GpuModuleCache.Get(device, GpuKernelTemplate.FlashForward, source, GpuDataType.BFloat16, HeadDim, HeadDim);
                if (masked)
                {
                    GpuModuleCache.Get(device, GpuKernelTemplate.ClassifyTiles, source, GpuDataType.BFloat16, 64, 64);
                }
            }, stream);
        }

        double first = TimeCall(() => variant.Launch(q, k, v, o, captures, stream), stream);
        double second = TimeCall(() => variant.Launch(q, k, v, o, captures, stream), stream);
        long bad = GpuBenchData.CountNonFinite(output, elements);
        if (bad != 0)
        {
            writer.WriteLine($"gpu first-call {name}: {bad} of {elements} output elements are NaN or infinite.");
            return 1;
        }

        if (phases)
        {
            writer.WriteLine(PhasesMarker + JsonSerializer.Serialize(new GpuFirstCallPhases(name, read, load, first, second)));
        }
        else
        {
            var figures = new GpuFirstCallFigures(name, first, second, KernelCache.Default.CompileCount, KernelCache.Default.DiskHitCount);
            writer.WriteLine(Marker + JsonSerializer.Serialize(figures));
        }

        return 0;
    }

    public static bool TryParse<T>(string output, string marker, [NotNullWhen(true)] out T? figures)
        where T : class
    {
        figures = null;
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith(marker, StringComparison.Ordinal))
            {
                figures = JsonSerializer.Deserialize<T>(line[marker.Length..]);
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
