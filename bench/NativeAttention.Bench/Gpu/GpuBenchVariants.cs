using System;
using System.Collections.Generic;
using System.Linq;

namespace NativeAttention.Bench.Gpu;

/// <summary>Every built-in variant in src/Attention/Variants, called through its generated GPU overload.</summary>
internal static class GpuBenchVariants
{
    public static IReadOnlyList<GpuBenchVariant> All { get; } =
    [
        new(Alibi.Descriptor, (q, k, v, o, c, s) => Alibi.Forward(q, k, v, o, c.Slopes, null, s)),
        new(AttentionSinks.Descriptor, (q, k, v, o, _, s) => AttentionSinks.Forward(q, k, v, o, 4, 1024, null, s)),
        new(Causal.Descriptor, (q, k, v, o, _, s) => Causal.Forward(q, k, v, o, null, s)),
        new(Dense.Descriptor, (q, k, v, o, _, s) => Dense.Forward(q, k, v, o, null, s)),
        new(DocumentMask.Descriptor, (q, k, v, o, c, s) => DocumentMask.Forward(q, k, v, o, c.DocumentIds, null, s)),
        new(LocalWindow2D.Descriptor, (q, k, v, o, _, s) => LocalWindow2D.Forward(q, k, v, o, 32, 8f, null, s)),
        new(PrefixLM.Descriptor, (q, k, v, o, _, s) => PrefixLM.Forward(q, k, v, o, 256, null, s)),
        new(RelativePositionBias.Descriptor, (q, k, v, o, c, s) => RelativePositionBias.Forward(q, k, v, o, c.Bias, GpuBenchCaptures.MaxDistance, null, s)),
        new(SlidingWindow.Descriptor, (q, k, v, o, _, s) => SlidingWindow.Forward(q, k, v, o, 1024, null, s)),
        new(SoftCap.Descriptor, (q, k, v, o, _, s) => SoftCap.Forward(q, k, v, o, 30f, null, s)),
    ];

    public static bool TryGet(string name, out GpuBenchVariant variant)
    {
        variant = All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal))!;
        return variant is not null;
    }
}
