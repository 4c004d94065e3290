namespace NativeAttention.Generators.Model;

/// <summary>Everything the emitters need about one valid spec, as strings and equatable arrays only.</summary>
internal sealed record SpecModel(
    string? Namespace,
    string ClassName,
    string Accessibility,
    string FullName,
    string SourcePath,
    int SourceLine,
    EquatableArray<CaptureModel> Captures,
    string? ScoreMethod,
    EquatableArray<string> ScoreCaptures,
    string? MaskMethod,
    EquatableArray<string> MaskCaptures,
    bool HasScoreMod,
    bool HasStaticTileClassification,
    bool MaskDependsOnBatch,
    bool MaskDependsOnHead,
    EquatableArray<LengthRequirement> Requirements,
    int CapturesSize,
    int CaptureFaultOffset,
    string CudaSource,
    string IntervalMembers,
    bool HasVectorScore,
    bool HasVectorMask,
    string VectorMembers)
{
    public bool HasMaskMod => MaskMethod is not null;

    public bool NeedsUnsafe
    {
        get
        {
            foreach (CaptureModel capture in Captures)
            {
                if (capture.IsSpan)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
