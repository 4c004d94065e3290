using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>Inline bytes that hold kernel argument values inside a <see cref="KernelArguments"/>.</summary>
[InlineArray(KernelArguments.MaxBytes / sizeof(ulong))]
internal struct KernelArgumentStorage
{
    private ulong _element0;
}
