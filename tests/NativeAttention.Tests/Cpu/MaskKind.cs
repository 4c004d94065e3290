namespace NativeAttention.Tests.Cpu;

/// <summary>The hand-written mods the accuracy tests run.</summary>
public enum MaskKind
{
    Dense,
    Causal,
    SlidingWindow,
    Alibi,
    DocumentMask,
    BatchDocumentMask,
}
