using System;

namespace NativeAttention;

/// <summary>
/// Document masking for packed sequences: a position attends only to positions of the same document,
/// <c>documentIds[q] == documentIds[kv]</c>, with one id per key position. Queries that sit before position 0 (more
/// queries than keys, bottom-right aligned) see nothing. IR-Diffusion's isolation attention is this mask with subject
/// ids in place of document ids.
/// </summary>
[AttentionVariant]
public static partial class DocumentMask
{
    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv, ReadOnlySpan<int> documentIds)
        => q >= 0 && documentIds[q] == documentIds[kv];
}
