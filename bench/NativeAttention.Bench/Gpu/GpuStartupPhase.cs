using System;
using System.Collections.Generic;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// One step of a new process's first call: wall time, the process's CPU time over the same span (on a busy machine
/// the steadier of the two), and the JIT's part (its compile time and how many methods it compiled). The three are
/// null for <c>main</c>, which the parent times from outside the child.
/// </summary>
internal sealed record GpuStartupPhase(string Name, double WallMilliseconds, double? CpuMilliseconds, double? JitMilliseconds, long? JitMethods)
{
    /// <summary>The per-phase medians of several runs that each timed the same phases in the same order.</summary>
    public static IReadOnlyList<GpuStartupPhase> Medians(IReadOnlyList<IReadOnlyList<GpuStartupPhase>> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        var medians = new List<GpuStartupPhase>();
        for (int phase = 0; phase < runs[0].Count; phase++)
        {
            string name = runs[0][phase].Name;
            var wall = new double[runs.Count];
            var cpu = new double?[runs.Count];
            var jit = new double?[runs.Count];
            var methods = new double?[runs.Count];
            for (int run = 0; run < runs.Count; run++)
            {
                GpuStartupPhase sample = runs[run][phase];
                if (sample.Name != name)
                {
                    throw new InvalidOperationException($"Run {run} timed '{sample.Name}' where run 0 timed '{name}'.");
                }

                (wall[run], cpu[run], jit[run], methods[run]) = (sample.WallMilliseconds, sample.CpuMilliseconds, sample.JitMilliseconds, sample.JitMethods);
            }

            medians.Add(new GpuStartupPhase(
                name, Median(wall), MedianOrNull(cpu), MedianOrNull(jit), MedianOrNull(methods) is { } count ? (long)Math.Round(count) : null));
        }

        return medians;
    }

    private static double? MedianOrNull(double?[] values)
    {
        var present = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value)
            {
                return null;
            }

            present[i] = value;
        }

        return Median(present);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
