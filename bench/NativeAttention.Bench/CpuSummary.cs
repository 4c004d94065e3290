using System;
using System.IO;
using System.Threading;

namespace NativeAttention.Bench;

/// <summary>
/// The default run's short CPU performance report: the measured ceilings (peak FMA, memory read bandwidth) and the
/// issue's target shapes with their fraction of those ceilings, each the median of repeated calls.
/// </summary>
internal static class CpuSummary
{
    /// <summary>Measures and writes the summary.</summary>
    /// <param name="writer">Where it goes.</param>
    public static void Write(TextWriter writer)
    {
        int all = Environment.ProcessorCount;
        ThreadPool.SetMinThreads(all, all);
        writer.WriteLine($"== CPU performance (median of repeats; load average {LoadAverage()}) ==");
        double fmaOne = MachineCeilings.FmaGflops(1);
        double fmaAll = MachineCeilings.FmaGflops(all);
        double readAll = MachineCeilings.ReadGigabytesPerSecond(all);
        writer.WriteLine($"Peak FMA ({PeakFma.Width})  {fmaOne:F1} GFLOP/s on 1 thread, {fmaAll:F1} on {all}");
        writer.WriteLine($"Memory read          {MachineCeilings.ReadGigabytesPerSecond(1):F1} GB/s on 1 thread, {readAll:F1} on {all}");
        writer.WriteLine($"{"case",-44} {"threads",7} {"median ms",10} {"GFLOP/s",8} {"%peak",6} {"GB/s",7} {"%readBW",8}  target");
        Prefill(writer, MaskKind.Dense, 1, fmaOne, "");
        Prefill(writer, MaskKind.Dense, all, fmaAll, "≥ 50% peak");
        Prefill(writer, MaskKind.Causal, all, fmaAll, "≥ 40% peak");
        Decode(writer, 32768, all, fmaAll, readAll);
    }

    private static void Prefill(TextWriter writer, MaskKind mask, int threads, double peak, string target)
    {
        var workload = new AttentionWorkload(mask, ElementKind.Fp32, 1, 8, 8, 2048, 2048, 64);
        (double median, _) = Timing.Measure(() => workload.Run(threads));
        double gflops = workload.Flops / median / 1e9;
        writer.WriteLine(
            $"{$"{mask} fp32 B=1 H=8 S=2048 D=64",-44} {threads,7} {median * 1e3,10:F2} {gflops,8:F1} {100 * gflops / peak,5:F1}% {"-",7} {"-",8}  {Verdict(target, 100 * gflops / peak)}");
    }

    private static void Decode(TextWriter writer, int seqKV, int threads, double peak, double bandwidth)
    {
        var workload = new AttentionWorkload(MaskKind.Causal, ElementKind.Fp32, 1, 32, 4, 1, seqKV, 128);
        (double median, _) = Timing.Measure(() => workload.Run(threads), minimumRepeats: 20);
        double gflops = workload.Flops / median / 1e9;
        double gigabytes = workload.KeyValueBytes / median / 1e9;
        writer.WriteLine(
            $"{$"Decode fp32 1 query H=32/KvH=4 KV={seqKV} D=128",-44} {threads,7} {median * 1e3,10:F2} {gflops,8:F1} {100 * gflops / peak,5:F1}% {gigabytes,7:F1} {100 * gigabytes / bandwidth,7:F1}%  {Verdict("≥ 60% read BW", 100 * gigabytes / bandwidth)}");
    }

    private static string Verdict(string target, double percent)
    {
        if (target.Length == 0)
        {
            return "";
        }

        double goal = double.Parse(target.AsSpan(2, target.IndexOf('%', StringComparison.Ordinal) - 2), System.Globalization.CultureInfo.InvariantCulture);
        return $"{target}: {(percent >= goal ? "met" : "MISSED")}";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
