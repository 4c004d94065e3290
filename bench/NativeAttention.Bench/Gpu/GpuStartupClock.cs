using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Times consecutive phases of a new process's first call as <see cref="GpuStartupPhase"/>s. The clock's own first use
/// (its JIT, the first CPU-usage and JIT-info reads) happens in the constructor, so no phase is charged for it.
/// </summary>
internal sealed class GpuStartupClock
{
    private readonly List<GpuStartupPhase> _phases = [];
    private long _start;
    private double _cpuMilliseconds;
    private double _jitMilliseconds;
    private long _jitMethods;

    public GpuStartupClock()
    {
        Restart();
        Mark("warm-up");
        _phases.Clear();
        Restart();
    }

    public IReadOnlyList<GpuStartupPhase> Phases => _phases;

    /// <summary>Ends the current phase under <paramref name="name"/> and starts the next.</summary>
    public void Mark(string name)
    {
        long end = Stopwatch.GetTimestamp();
        double cpu = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        double jit = JitInfo.GetCompilationTime().TotalMilliseconds;
        long methods = JitInfo.GetCompiledMethodCount();
        _phases.Add(new GpuStartupPhase(
            name, Stopwatch.GetElapsedTime(_start, end).TotalMilliseconds, cpu - _cpuMilliseconds, jit - _jitMilliseconds, methods - _jitMethods));
        Restart();
    }

    private void Restart()
    {
        _cpuMilliseconds = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        _jitMilliseconds = JitInfo.GetCompilationTime().TotalMilliseconds;
        _jitMethods = JitInfo.GetCompiledMethodCount();
        _start = Stopwatch.GetTimestamp();
    }
}
