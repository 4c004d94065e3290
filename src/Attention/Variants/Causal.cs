namespace NativeAttention;

/// <summary>Causal (autoregressive) attention: a query attends to its own and earlier positions.</summary>
[AttentionVariant]
public static partial class Causal
{
    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv) => kv <= q;
}
