using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NativeAttention.Bench.Gpu;

/// <summary>The parsed arguments of <see cref="GpuBenchmarks.Run"/>.</summary>
internal sealed class GpuBenchmarkOptions
{
    /// <summary>The fewest timed repetitions the figures may rest on.</summary>
    public const int MinimumReps = 20;

    public bool Compile { get; private set; }

    public bool Prefill { get; private set; }

    public bool Decode { get; private set; }

    public string? JsonPath { get; private set; }

    public int Warmup { get; private set; } = 5;

    public int Reps { get; private set; } = 30;

    public string? FirstCallVariant { get; private set; }

    public bool FirstCallPhases { get; private set; }

    /// <summary>Gets whether to run the GPU-less startup measurement (<see cref="GpuStartupBenchmark"/>) alone.</summary>
    public bool Startup { get; private set; }

    /// <summary>Gets the NVRTC target of the GPU-less steps.</summary>
    public string HostArch { get; private set; } = "compute_80";

    /// <summary>Gets the variants <see cref="Startup"/> measures (empty: all).</summary>
    public List<string> StartupVariants { get; } = [];

    /// <summary>Gets the variant of a GPU-less first-call child, if this process is one.</summary>
    public string? FirstCallHostVariant { get; private set; }

    public static bool TryParse(string[] args, [NotNullWhen(true)] out GpuBenchmarkOptions? options, [NotNullWhen(false)] out string? error)
    {
        var parsed = new GpuBenchmarkOptions();
        options = null;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "compile":
                    parsed.Compile = true;
                    break;
                case "prefill":
                    parsed.Prefill = true;
                    break;
                case "decode":
                    parsed.Decode = true;
                    break;
                case "first-call" or "first-call-phases" or "--json" or "--warmup" or "--reps" or "--arch" when i + 1 >= args.Length:
                    error = $"gpu: {arg} expects a value.";
                    return false;
                case "first-call-host" when i + 2 >= args.Length:
                    error = "gpu: first-call-host expects a variant and an arch.";
                    return false;
                case "first-call-host":
                    parsed.FirstCallHostVariant = args[++i];
                    parsed.HostArch = args[++i];
                    break;
                case "startup":
                    parsed.Startup = true;
                    break;
                case "--arch":
                    parsed.HostArch = args[++i];
                    break;
                case "first-call":
                    parsed.FirstCallVariant = args[++i];
                    break;
                case "first-call-phases":
                    parsed.FirstCallVariant = args[++i];
                    parsed.FirstCallPhases = true;
                    break;
                case "--json":
                    parsed.JsonPath = args[++i];
                    break;
                case "--warmup":
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out int warmup))
                    {
                        error = $"gpu: --warmup expects a non-negative integer; actual '{args[i]}'.";
                        return false;
                    }

                    parsed.Warmup = warmup;
                    break;
                case "--reps":
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out int reps) || reps < MinimumReps)
                    {
                        error = $"gpu: --reps expects an integer of at least {MinimumReps}; actual '{args[i]}'.";
                        return false;
                    }

                    parsed.Reps = reps;
                    break;
                default:
                    if (parsed.Startup && !arg.StartsWith('-'))
                    {
                        parsed.StartupVariants.Add(arg);
                        break;
                    }

                    error = $"gpu: unknown argument '{arg}'.";
                    return false;
            }
        }

        if (!parsed.Compile && !parsed.Prefill && !parsed.Decode)
        {
            parsed.Compile = parsed.Prefill = parsed.Decode = true;
        }

        options = parsed;
        return true;
    }
}
