using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace NativeAttention.Bench;

/// <summary>
/// The side-by-side run's .NET half: reads the shared shape list (bench/cpu/shapes.csv) and prints one CSV row per
/// shape and thread count, with the median time of repeated calls, for bench/cpu/compare.py to set beside PyTorch.
/// </summary>
internal static class CpuComparison
{
    /// <summary>Runs every shape on every thread count.</summary>
    /// <param name="writer">Where the CSV goes.</param>
    /// <param name="shapesPath">The shape list: name,mask,dtype,batch,heads,kvHeads,seqQ,seqKV,dim per line.</param>
    /// <param name="threadCounts">The thread counts.</param>
    public static void Write(TextWriter writer, string shapesPath, int[] threadCounts)
    {
        int most = Math.Max(Environment.ProcessorCount, 1);
        ThreadPool.SetMinThreads(most, most);
        writer.WriteLine("impl,name,threads,median_ms,best_ms,gflops,kv_gbps");
        writer.WriteLine($"# kernel switches: {KernelSwitches()}");

        // The variant runs of side_by_side.sh skip the ceilings: the first run of the call measures them, and the
        // seconds they take are better spent on more variants within the call's time.
        bool measureCeilings = Environment.GetEnvironmentVariable("NA_BENCH_CEILINGS") != "0";
        foreach (int threads in measureCeilings ? threadCounts : [])
        {
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"# ceiling threads={threads}: peak FMA ({PeakFma.Width}) {MachineCeilings.FmaGflops(threads):F1} GFLOP/s, memory read {MachineCeilings.ReadGigabytesPerSecond(threads):F1} GB/s"));
        }

        bool processWarm = false;
        foreach (string line in File.ReadLines(shapesPath))
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("name,", StringComparison.Ordinal))
            {
                continue;
            }

            string[] f = line.Split(',');
            var workload = new AttentionWorkload(
                Enum.Parse<MaskKind>(f[1], ignoreCase: true),
                f[2] == "fp32" ? ElementKind.Fp32 : ElementKind.Bf16,
                int.Parse(f[3], CultureInfo.InvariantCulture),
                int.Parse(f[4], CultureInfo.InvariantCulture),
                int.Parse(f[5], CultureInfo.InvariantCulture),
                int.Parse(f[6], CultureInfo.InvariantCulture),
                int.Parse(f[7], CultureInfo.InvariantCulture),
                int.Parse(f[8], CultureInfo.InvariantCulture));
            if (!processWarm)
            {
                // The first shape of a fresh process measured tier-0 code even after its own warm-up (on the Xeon at
                // a tenth of its later speed): a second of untimed calls first lets tiered compilation settle.
                Timing.Measure(() => workload.Run(threadCounts[^1]), minimumSeconds: 1.0, minimumRepeats: 1);
                processWarm = true;
            }

            foreach (int threads in threadCounts)
            {
                (double median, double best) = Timing.Measure(() => workload.Run(threads), minimumSeconds: 0.3, minimumRepeats: 3);
                writer.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"ours,{f[0]},{threads},{median * 1e3:F3},{best * 1e3:F3},{workload.Flops / median / 1e9:F2},{workload.KeyValueBytes / median / 1e9:F2}"));
                writer.Flush();
            }
        }
    }

    /// <summary>The NA_CPU_* experiment switches set in this process (bench/cpu/variants.txt), or "defaults".</summary>
    private static string KernelSwitches()
    {
        var set = new System.Collections.Generic.List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("NA_CPU_", StringComparison.Ordinal))
            {
                set.Add($"{name}={entry.Value}");
            }
        }

        set.Sort(StringComparer.Ordinal);
        return set.Count == 0 ? "defaults" : string.Join(' ', set);
    }
}
