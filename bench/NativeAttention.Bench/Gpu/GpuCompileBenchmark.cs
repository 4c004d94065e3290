using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Cold NVRTC compile time of every built-in variant's bf16 d128 forward unit (and its tile classifier when it has a
/// mask) into an empty cache folder, then, per variant, a new process (this executable again) that makes its first
/// call with that folder as <c>NATIVEATTENTION_CACHE_DIR</c>: the warm-disk first call, module load included. Then
/// the same first call split into phases (<see cref="GpuFirstCallPhases"/>), medians of
/// <see cref="GpuFirstCallChildren.Runs"/> processes, with the libraries precompiled and with their ReadyToRun code
/// ignored (what the first call cost before they were precompiled).
/// </summary>
internal static class GpuCompileBenchmark
{
    private const string NopKernel = "extern \"C\" __global__ void na_bench_nop() {}";

    public static void Run(CudaDevice device, GpuBenchmarkReport report, TextWriter writer)
    {
        string directory = Path.Combine(Path.GetTempPath(), "na-bench-cache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);

        // Pointing this process's default cache at the same folder lets the later prefill steps load these images from
        // disk instead of compiling them a second time; it has no effect when the default cache already exists.
        Environment.SetEnvironmentVariable(KernelCache.DirectoryVariable, directory);
        var cache = new KernelCache(directory, KernelCache.Default.CompilerVersion, (source, name, arch, options) => NvrtcCompiler.Compile(source, name, arch, options));
        string target = GpuArchitecture.Select(device);

        // NVRTC's first compile in a process also loads the library and its built-in headers: timed apart so that
        // the first variant is not charged for it.
        long start = Stopwatch.GetTimestamp();
        NvrtcCompiler.Compile(NopKernel, "na_bench_nop.cu", target);
        report.NvrtcFirstUseMilliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        writer.WriteLine();
        writer.WriteLine($"compile (NVRTC {NvrtcCompiler.Version}, {target}, empty cache {directory}); NVRTC first use {report.NvrtcFirstUseMilliseconds:F0} ms");
        writer.WriteLine(
            $"{"variant",-22} {"cold ms",12} {"warm-disk 1st call ms",22} {"2nd call ms",12} {"child compiles",15}");
        var splits = new List<GpuFirstCallPhases>();
        foreach (GpuBenchVariant variant in GpuBenchVariants.All)
        {
            double forward = TimeCompile(cache, target, new GpuCompileUnit(GpuKernelTemplate.FlashForward, variant.Descriptor.CudaSource, GpuDataType.BFloat16, 128, 128));
            GpuFirstCallFigures? first = GpuFirstCallChildren.Run(["first-call", variant.Name], directory, precompiled: true, writer, out _) is { } output
                && GpuFirstCallProbe.TryParse(output, GpuFirstCallProbe.Marker, out GpuFirstCallFigures? parsed) ? parsed : null;
            var phases = new List<GpuFirstCallPhases>();
            foreach (bool precompiled in new[] { true, false })
            {
                if (GpuFirstCallChildren.MeasurePhases(variant.Name, ["first-call-phases", variant.Name], directory, precompiled, writer) is { } split)
                {
                    phases.Add(split);
                }
            }

            if (first is null || first.Compiles != 0 || phases.Count != 2)
            {
                report.AddFailure();
            }

            splits.AddRange(phases);
            report.AddCompile(new GpuCompileFigures(variant.Name, forward, first, phases));
            writer.WriteLine(
                $"{variant.Name,-22} {forward,12:F0} " +
                $"{(first is null ? "failed" : first.FirstCallMilliseconds.ToString("F1")),22} " +
                $"{(first is null ? "-" : first.SecondCallMilliseconds.ToString("F2")),12} {(first is null ? "-" : first.Compiles.ToString()),15}");
        }

        if (splits.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine($"warm-disk first call split into phases (medians of {GpuFirstCallChildren.Runs} processes, ms; jit: {GpuFirstCallChildren.LibraryAssemblies} without their ReadyToRun code)");
            GpuFirstCallChildren.WriteHeader(writer, splits[0].Phases);
            foreach (GpuFirstCallPhases split in splits)
            {
                GpuFirstCallChildren.WriteRows(writer, split);
            }
        }
    }

    private static double TimeCompile(KernelCache cache, string target, GpuCompileUnit unit)
    {
        long start = Stopwatch.GetTimestamp();
        unit.Compile(cache, target);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
