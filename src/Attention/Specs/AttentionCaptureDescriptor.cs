using System;

namespace NativeAttention;

/// <summary>One capture of a spec, as the GPU dispatch needs it to fill the CUDA <c>na_captures</c> struct.</summary>
public sealed class AttentionCaptureDescriptor
{
    /// <summary>Creates a capture descriptor (called by generated code).</summary>
    /// <param name="name">The C# parameter name.</param>
    /// <param name="kind">The capture's type.</param>
    /// <param name="cudaName">The CUDA field name (see <see cref="AttentionVariantDescriptor.CudaNameRule"/>).</param>
    /// <param name="offset">The byte offset of the field in <c>na_captures</c>.</param>
    /// <param name="lengthOffset">The byte offset of the <c>_length</c> field for span captures; -1 for scalars.</param>
    public AttentionCaptureDescriptor(string name, AttentionCaptureKind kind, string cudaName, int offset, int lengthOffset)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(cudaName);
        Name = name;
        Kind = kind;
        CudaName = cudaName;
        Offset = offset;
        LengthOffset = lengthOffset;
    }

    /// <summary>Gets the C# parameter name, as it appears in the generated <c>Forward</c> signature.</summary>
    public string Name { get; }

    /// <summary>Gets the capture's type.</summary>
    public AttentionCaptureKind Kind { get; }

    /// <summary>Gets the CUDA field name in <c>na_captures</c> (a span's length field is this name plus <c>_length</c>).</summary>
    public string CudaName { get; }

    /// <summary>Gets the byte offset of the field (the pointer for span captures) in <c>na_captures</c>.</summary>
    public int Offset { get; }

    /// <summary>Gets the byte offset of the <c>int</c> length field of a span capture; -1 for scalar captures.</summary>
    public int LengthOffset { get; }

    /// <summary>Gets whether the capture is a span (pointer plus length) rather than a scalar.</summary>
    public bool IsSpan => Kind is AttentionCaptureKind.FloatSpan or AttentionCaptureKind.IntSpan;
}
