namespace NativeAttention;

/// <summary>
/// StreamingLLM attention sinks (Xiao et al.): causal attention to the first <c>sinks</c> tokens plus the
/// <c>window</c> most recent positions including the query itself.
/// </summary>
[AttentionVariant]
public static partial class AttentionSinks
{
    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv, int sinks, int window)
        => kv <= q && (kv < sinks || q - kv < window);
}
