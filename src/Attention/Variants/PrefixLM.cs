namespace NativeAttention;

/// <summary>
/// Prefix-LM attention (T5, UniLM, PaliGemma): the first <c>prefix</c> positions are visible to every query
/// (bidirectional prefix), later positions causally.
/// </summary>
[AttentionVariant]
public static partial class PrefixLM
{
    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv, int prefix) => kv < prefix || kv <= q;
}
