using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace NativeAttention.Bench;

/// <summary>
/// The side-by-side run's .NET half: reads the shared shape list (bench/cpu/shapes.csv) and prints one CSV row per
/// shape and thread count, with the median time of repeated calls, for bench/cpu/compare.py to set beside PyTorch.
/// </summary>
internal static class CpuComparison
{
    /// <summary>
    /// Runs every shape on every thread count, after one line of machine ceilings per thread count unless the environment
    /// sets NA_BENCH_SKIP_CEILINGS=1 (rounds.sh, which starts a process per variant and round, each of which would
    /// otherwise spend seconds on the ceilings).
    /// </summary>
    /// <param name="writer">Where the CSV goes.</param>
    /// <param name="shapesPath">The shape list: name,mask,dtype,batch,heads,kvHeads,seqQ,seqKV,dim per line.</param>
    /// <param name="threadCounts">The thread counts.</param>
    public static void Write(TextWriter writer, string shapesPath, int[] threadCounts)
    {
        int most = Math.Max(Environment.ProcessorCount, 1);
        int widest = threadCounts.Max();
        ThreadPool.SetMinThreads(most, most);
        writer.WriteLine("impl,name,threads,median_ms,best_ms,gflops,kv_gbps");
        bool skipCeilings = Environment.GetEnvironmentVariable("NA_BENCH_SKIP_CEILINGS") == "1";
        foreach (int threads in skipCeilings ? [] : threadCounts)
        {
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"# ceiling threads={threads}: peak FMA ({PeakFma.Width}) {MachineCeilings.FmaGflops(threads):F1} GFLOP/s, memory read {MachineCeilings.ReadGigabytesPerSecond(threads):F1} GB/s"));
        }

        foreach (string line in File.ReadLines(shapesPath))
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("name,", StringComparison.Ordinal))
            {
                continue;
            }

            string[] f = line.Split(',');
            var workload = new AttentionWorkload(
                Enum.Parse<MaskKind>(f[1], ignoreCase: true),
                ParseElement(f[2], line),
                int.Parse(f[3], CultureInfo.InvariantCulture),
                int.Parse(f[4], CultureInfo.InvariantCulture),
                int.Parse(f[5], CultureInfo.InvariantCulture),
                int.Parse(f[6], CultureInfo.InvariantCulture),
                int.Parse(f[7], CultureInfo.InvariantCulture),
                int.Parse(f[8], CultureInfo.InvariantCulture));

            // Each shape's first calls run at the widest thread count, many and short, so that tiered compilation has
            // settled on this shape's generic instantiations (mask × dtype) before any count is timed: a 1-thread call
            // of a long shape takes up to seconds, and its few calls alone measured tier-0 or instrumented code.
            Timing.Measure(() => workload.Run(widest), minimumSeconds: 1.0, minimumRepeats: 1);
            foreach (int threads in threadCounts)
            {
                (double median, double best) = Timing.Measure(() => workload.Run(threads), minimumSeconds: 1.0, minimumRepeats: 5);
                writer.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"ours,{f[0]},{threads},{median * 1e3:F3},{best * 1e3:F3},{workload.Flops / median / 1e9:F2},{workload.KeyValueBytes / median / 1e9:F2}"));
                writer.Flush();
            }
        }
    }

    private static ElementKind ParseElement(string dtype, string line) => dtype switch
    {
        "fp32" => ElementKind.Fp32,
        "bf16" => ElementKind.Bf16,
        "fp16" => ElementKind.Fp16,
        _ => throw new FormatException($"dtype '{dtype}' in shape line '{line}': expected fp32, bf16 or fp16."),
    };
}
