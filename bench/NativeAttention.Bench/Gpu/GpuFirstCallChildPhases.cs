using System.Collections.Generic;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// What one first-call child prints: the <see cref="System.Diagnostics.Stopwatch"/> timestamp at which its Main began
/// (the parent subtracts its own timestamp from before the start: one monotonic clock for all processes) and its phases.
/// </summary>
internal sealed record GpuFirstCallChildPhases(long MainEnteredTimestamp, IReadOnlyList<GpuStartupPhase> Phases);
