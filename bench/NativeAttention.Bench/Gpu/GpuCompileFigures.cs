using System.Collections.Generic;

namespace NativeAttention.Bench.Gpu;

/// <summary>One built-in variant's compile figures: cold NVRTC times in this process, the first call of a new one and its phase splits.</summary>
internal sealed record GpuCompileFigures(string Variant, double ForwardColdMilliseconds, GpuFirstCallFigures? FirstCall, IReadOnlyList<GpuFirstCallPhases> Phases);
