using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NativeAttention.Bench;

/// <summary>
/// The first calls of one shape in a fresh process, each timed alone: what a user sees before tiered compilation has
/// settled, which the warmed-up figures of <see cref="CpuComparison"/> leave out. Start it as its own process, e.g.
/// under <c>taskset -c 0</c> to see a single-CPU deployment.
/// </summary>
internal static class CpuCallTimes
{
    /// <summary>The command-line name.</summary>
    public const string CommandName = "cpu-calls";

    /// <summary>Times <paramref name="calls"/> consecutive calls of causal fp32 B=1 H=8 D=64 at <paramref name="sequence"/>.</summary>
    /// <param name="writer">Where the line goes.</param>
    /// <param name="sequence">The query and key length.</param>
    /// <param name="calls">The number of calls.</param>
    public static void Write(TextWriter writer, int sequence, int calls)
    {
        var workload = new AttentionWorkload(MaskKind.Causal, ElementKind.Fp32, 1, 8, 8, sequence, sequence, 64);
        var milliseconds = new double[calls];
        for (int call = 0; call < calls; call++)
        {
            long start = Stopwatch.GetTimestamp();
            workload.Run(Environment.ProcessorCount);
            milliseconds[call] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"causal fp32 S={sequence} D=64 H=8, {Environment.ProcessorCount} threads, ms per call: {string.Join(' ', milliseconds.Select(m => m.ToString("F1", CultureInfo.InvariantCulture)))}"));
    }
}
