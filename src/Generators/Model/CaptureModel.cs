namespace NativeAttention.Generators.Model;

/// <summary>The type of a capture; values match NativeAttention.AttentionCaptureKind.</summary>
internal enum CaptureKind
{
    FloatSpan = 0,
    IntSpan = 1,
    Float = 2,
    Int = 3,
}

/// <summary>One capture of a spec: its C# name, type, CUDA field name and byte offsets in <c>na_captures</c>.</summary>
internal sealed record CaptureModel(string Name, CaptureKind Kind, string CudaName, int Offset, int LengthOffset)
{
    public bool IsSpan => Kind is CaptureKind.FloatSpan or CaptureKind.IntSpan;

    public string ElementType => Kind is CaptureKind.FloatSpan or CaptureKind.Float ? "float" : "int";
}
