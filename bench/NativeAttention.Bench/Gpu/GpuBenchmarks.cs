using System;
using System.IO;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// GPU benchmarks measured through the generated .NET API: prefill TFLOP/s, decode TB/s, cold NVRTC compile time per
/// built-in variant and the first call of a new process from a warm disk cache. Writes the figures as JSON in the
/// shape bench/gpu/peers.py reads with <c>--ours</c>.
/// </summary>
public static class GpuBenchmarks
{
    /// <summary>The first argument of the bench executable that routes to <see cref="Run"/> (the child processes use it too).</summary>
    public const string CommandName = "gpu";

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: gpu [compile] [prefill] [decode] [--json PATH] [--warmup N] [--reps N]
               (no step named: all three; --reps at least 20)
               gpu startup [--arch A] [VARIANT...]
                                               (no GPU needed: the warm-disk first call's steps before module load,
                                                in fresh processes; A defaults to compute_80)
               gpu first-call VARIANT          (child mode: one first call from the warm disk cache, printed as JSON)
               gpu first-call-phases VARIANT   (child mode: the same, split into phases)
               gpu first-call-host VARIANT A   (child mode: the phases that need no GPU, for target A)
        """;

    /// <summary>Runs the steps named in <paramref name="args"/> (the arguments after <see cref="CommandName"/>).</summary>
    /// <param name="args">Steps and options; see <see cref="Usage"/>.</param>
    /// <param name="writer">Where the tables go.</param>
    /// <param name="mainEnteredTimestamp">The <see cref="System.Diagnostics.Stopwatch"/> timestamp at which Main began (first-call children report it).</param>
    /// <returns>0 when every step ran and every output was finite; 1 when a step failed; 2 for bad arguments.</returns>
    public static int Run(string[] args, TextWriter writer, long mainEnteredTimestamp)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(writer);
        if (!GpuBenchmarkOptions.TryParse(args, out GpuBenchmarkOptions? options, out string? error))
        {
            writer.WriteLine(error);
            writer.WriteLine(Usage);
            return 2;
        }

        if (options.FirstCallHostVariant is { } hostVariant)
        {
            return GpuFirstCallProbe.RunHost(hostVariant, options.HostArch, mainEnteredTimestamp, writer);
        }

        if (options.Startup)
        {
            return GpuStartupBenchmark.Run(options.HostArch, options.StartupVariants, writer);
        }

        if (!Cuda.IsAvailable || !CudaDevice.TryGet(0, out CudaDevice? device))
        {
            writer.WriteLine($"gpu: no CUDA device ({Cuda.UnavailableReason ?? "device 0 missing"}).");
            return 1;
        }

        if (options.FirstCallVariant is { } variant)
        {
            return GpuFirstCallProbe.Run(device, variant, options.FirstCallPhases, mainEnteredTimestamp, writer);
        }

        writer.WriteLine($"gpu: {device}, driver {Cuda.DriverVersion}, NVRTC {NvrtcCompiler.Version}, arch {GpuArchitecture.Select(device)}");
        var report = new GpuBenchmarkReport(device);
        if (options.Compile)
        {
            GpuCompileBenchmark.Run(device, report, writer);
        }

        if (options.Prefill || options.Decode)
        {
            using var stream = new CudaStream(device);
            var timer = new GpuEventTimer(device, stream, options.Warmup, options.Reps);
            if (options.Prefill)
            {
                GpuPrefillBenchmark.Run(device, stream, timer, report, writer);
            }

            if (options.Decode)
            {
                GpuDecodeBenchmark.Run(device, stream, timer, report, writer);
            }
        }

        if (options.JsonPath is { } path)
        {
            File.WriteAllText(path, report.ToJson());
            writer.WriteLine($"gpu: figures written to {path}");
        }

        return report.Failures == 0 ? 0 : 1;
    }
}
