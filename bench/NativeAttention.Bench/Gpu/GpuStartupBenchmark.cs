using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// The part of a new process's warm-disk first call that needs no GPU, on any machine with NVRTC: compiles each built-in
/// variant's bf16 d128 forward unit (and tile classifier) for <c>arch</c> into an empty cache folder, then times
/// fresh processes that compute the units' keys and read their images back (<see cref="GpuFirstCallChildren.Runs"/>
/// each, with the libraries precompiled and with their ReadyToRun code ignored).
/// </summary>
internal static class GpuStartupBenchmark
{
    public static int Run(string arch, IReadOnlyList<string> variantNames, TextWriter writer)
    {
        if (!Cuda.IsNvrtcAvailable)
        {
            writer.WriteLine($"gpu startup: NVRTC is unavailable ({Cuda.NvrtcUnavailableReason}).");
            return 1;
        }

        var variants = new List<GpuBenchVariant>();
        foreach (string name in variantNames)
        {
            if (!GpuBenchVariants.TryGet(name, out GpuBenchVariant variant))
            {
                writer.WriteLine($"gpu startup: unknown variant '{name}'.");
                return 2;
            }

            variants.Add(variant);
        }

        if (variants.Count == 0)
        {
            variants.AddRange(GpuBenchVariants.All);
        }

        string directory = Path.Combine(Path.GetTempPath(), "na-bench-startup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var cache = new KernelCache(directory, KernelCache.Default.CompilerVersion, (source, name, target, options) => NvrtcCompiler.Compile(source, name, target, options));
            writer.WriteLine($"startup (NVRTC {NvrtcCompiler.Version}, {arch}, cache {directory}, medians of {GpuFirstCallChildren.Runs} processes, ms)");
            bool headerWritten = false;
            int failures = 0;
            foreach (GpuBenchVariant variant in variants)
            {
                long start = Stopwatch.GetTimestamp();
                new GpuCompileUnit(GpuKernelTemplate.FlashForward, variant.Descriptor.CudaSource, GpuDataType.BFloat16, 128, 128).Compile(cache, arch);

                double compile = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                foreach (bool precompiled in new[] { true, false })
                {
                    GpuFirstCallPhases? split = GpuFirstCallChildren.MeasurePhases(
                        variant.Name, ["first-call-host", variant.Name, arch], directory, precompiled, writer);
                    if (split is null)
                    {
                        failures++;
                        continue;
                    }

                    if (!headerWritten)
                    {
                        GpuFirstCallChildren.WriteHeader(writer, split.Phases);
                        headerWritten = true;
                    }

                    GpuFirstCallChildren.WriteRows(writer, split);
                }

                writer.WriteLine($"{variant.Name,-22} cold compile of its units: {compile:F0} ms");
            }

            return failures == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
