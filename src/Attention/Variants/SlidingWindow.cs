namespace NativeAttention;

/// <summary>
/// Causal sliding-window attention (Longformer, Mistral): a query attends to the <c>window</c> most recent positions
/// including itself, <c>q - window &lt; kv &lt;= q</c>.
/// </summary>
[AttentionVariant]
public static partial class SlidingWindow
{
    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv, int window) => q - window < kv && kv <= q;
}
