using System.Collections.Generic;

namespace NativeAttention.Tests.Gpu;

/// <summary>The descriptors of every built-in variant in src/Attention/Variants.</summary>
internal static class BuiltInVariants
{
    public static IReadOnlyList<AttentionVariantDescriptor> All { get; } =
    [
        Alibi.Descriptor,
        AttentionSinks.Descriptor,
        Causal.Descriptor,
        Dense.Descriptor,
        DocumentMask.Descriptor,
        LocalWindow2D.Descriptor,
        PrefixLM.Descriptor,
        RelativePositionBias.Descriptor,
        SlidingWindow.Descriptor,
        SoftCap.Descriptor,
    ];

    public static AttentionVariantDescriptor Named(string name)
    {
        foreach (AttentionVariantDescriptor variant in All)
        {
            if (variant.Name == name)
            {
                return variant;
            }
        }

        throw new KeyNotFoundException(name);
    }
}
