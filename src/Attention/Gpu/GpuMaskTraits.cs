namespace NativeAttention;

/// <summary>What decides the shape and the reuse of a run-time tile map: which indices the mask reads, and whether it reads a span capture.</summary>
internal readonly record struct GpuMaskTraits(bool DependsOnBatch, bool DependsOnHead, bool ReadsSpanCapture);
