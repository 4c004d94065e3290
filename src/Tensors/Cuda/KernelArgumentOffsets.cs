using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>Inline byte offsets of each argument inside <see cref="KernelArgumentStorage"/>.</summary>
[InlineArray(KernelArguments.MaxArguments)]
internal struct KernelArgumentOffsets
{
    private ushort _element0;
}
