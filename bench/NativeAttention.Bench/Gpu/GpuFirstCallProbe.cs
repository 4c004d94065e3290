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
/// <c>phases</c> it first walks the same path step by step (<see cref="GpuFirstCallPhases"/> names them), each step
/// timed by a <see cref="GpuStartupClock"/>, and prints a <see cref="PhasesMarker"/> line instead. <see cref="RunHost"/>
/// walks the steps that need no GPU (up to the checked image in memory), for machines without one.
/// </summary>
internal static class GpuFirstCallProbe
{
    public const string Marker = "first-call-json: ";

    public const string PhasesMarker = "first-call-phases-json: ";

    private const int Heads = 16;
    private const int Seq = 1024;
    private const int HeadDim = 128;

    public static int Run(CudaDevice device, string name, bool phases, long mainEnteredTimestamp, TextWriter writer)
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

        string json;
        if (phases)
        {
            string target = GpuArchitecture.Select(device);
            var clock = new GpuStartupClock();
            ReadFromDisk(variant.Descriptor, target, clock);
            GpuModuleCache.Get(device, GpuKernelTemplate.FlashForward, variant.Descriptor.CudaSource, GpuDataType.BFloat16, HeadDim, HeadDim);

            clock.Mark("load");
            variant.Launch(q, k, v, o, captures, stream);
            stream.Synchronize();
            clock.Mark("call");
            variant.Launch(q, k, v, o, captures, stream);
            stream.Synchronize();
            clock.Mark("second");
            json = PhasesMarker + JsonSerializer.Serialize(new GpuFirstCallChildPhases(mainEnteredTimestamp, clock.Phases));
        }
        else
        {
            double first = TimeCall(variant, q, k, v, o, captures, stream);
            double second = TimeCall(variant, q, k, v, o, captures, stream);
            var figures = new GpuFirstCallFigures(name, first, second, KernelCache.Default.CompileCount, KernelCache.Default.DiskHitCount);
            json = Marker + JsonSerializer.Serialize(figures);
        }

        long bad = GpuBenchData.CountNonFinite(output, elements);
        if (bad != 0)
        {
            writer.WriteLine($"gpu first-call {name}: {bad} of {elements} output elements are NaN or infinite.");
            return 1;
        }

        writer.WriteLine(json);
        return 0;
    }

    /// <summary>The steps of <see cref="Run"/> with phases that need no GPU, for target <paramref name="arch"/>.</summary>
    public static int RunHost(string name, string arch, long mainEnteredTimestamp, TextWriter writer)
    {
        if (!GpuBenchVariants.TryGet(name, out GpuBenchVariant variant))
        {
            writer.WriteLine($"gpu first-call-host: unknown variant '{name}'.");
            return 2;
        }

        var clock = new GpuStartupClock();
        ReadFromDisk(variant.Descriptor, arch, clock);
        if (KernelCache.Default.CompileCount != 0 || KernelCache.Default.DiskHitCount == 0)
        {
            writer.WriteLine(
                $"gpu first-call-host {name}: expected every image from the disk cache {KernelCache.Default.Directory}; " +
                $"actual {KernelCache.Default.CompileCount} compiles, {KernelCache.Default.DiskHitCount} disk hits.");
            return 1;
        }

        writer.WriteLine(PhasesMarker + JsonSerializer.Serialize(new GpuFirstCallChildPhases(mainEnteredTimestamp, clock.Phases)));
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

    // The path a first Forward takes through the kernel cache, one step per phase; the key is computed here and then
    // again (warm, in microseconds) inside GetOrCompile, which a real call does once.
    private static void ReadFromDisk(AttentionVariantDescriptor descriptor, string arch, GpuStartupClock clock)
    {
        GpuCompileUnit forward = new(GpuKernelTemplate.FlashForward, descriptor.CudaSource, GpuDataType.BFloat16, HeadDim, HeadDim);
        clock.Mark("source");
        string compilerVersion = KernelCache.Default.CompilerVersion;
        clock.Mark("compiler");
        KernelCache.ComputeKey(string.Empty, [], arch, compilerVersion);
        clock.Mark("first-hash");
        KernelCache.ComputeKey(forward.Source, forward.Options, arch, compilerVersion);

        clock.Mark("key");
        forward.Compile(KernelCache.Default, arch);
        clock.Mark("read");
    }

    private static double TimeCall(
        GpuBenchVariant variant, DeviceTensor<BFloat16> q, DeviceTensor<BFloat16> k, DeviceTensor<BFloat16> v, DeviceTensor<BFloat16> o,
        GpuBenchCaptures captures, CudaStream stream)
    {
        long start = Stopwatch.GetTimestamp();
        variant.Launch(q, k, v, o, captures, stream);
        stream.Synchronize();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
