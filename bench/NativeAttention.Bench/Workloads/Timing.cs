using System;
using System.Diagnostics;

namespace NativeAttention.Bench;

/// <summary>Median-of-repeats timing for the quick summary and the side-by-side run, where BenchmarkDotNet is too slow.</summary>
internal static class Timing
{
    /// <summary>Warms <paramref name="action"/> up, then times it until both a minimum count and a minimum time are reached.</summary>
    /// <param name="action">One call.</param>
    /// <param name="minimumSeconds">The least total measured time.</param>
    /// <param name="minimumRepeats">The least number of timed calls.</param>
    /// <returns>The median and the best seconds per call.</returns>
    public static (double Median, double Best) Measure(Action action, double minimumSeconds = 0.5, int minimumRepeats = 5)
    {
        // Past tiered compilation's first tiers and thread start-up: at least two calls and half a second, since the
        // side-by-side run's first short shape measured tier-0 code at ten times its steady time with two calls alone.
        var warmUp = Stopwatch.StartNew();
        for (int call = 0; call < 2 || warmUp.Elapsed.TotalSeconds < 0.5; call++)
        {
            action();
        }

        var times = new System.Collections.Generic.List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < minimumRepeats || total.Elapsed.TotalSeconds < minimumSeconds)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        times.Sort();
        return (times[times.Count / 2], times[0]);
    }
}
