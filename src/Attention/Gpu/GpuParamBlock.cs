using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeAttention;

/// <summary>
/// The bytes of one by-value kernel parameter struct: the fixed fields followed by the spec's <c>na_captures</c> at
/// its C alignment. The driver reads only the kernel's own parameter size from it, so the block can be larger.
/// </summary>
[InlineArray(Capacity / sizeof(ulong))]
internal struct GpuParamBlock
{
    /// <summary>The most bytes of fields plus captures one block holds (KernelArguments' own limit).</summary>
    public const int Capacity = KernelArguments.MaxBytes;

    /// <summary>The block's alignment as a kernel parameter: that of the device pointers it holds.</summary>
    public const int Alignment = sizeof(ulong);

    private ulong _element0;

    /// <summary>Gets the C alignment of a spec's <c>na_captures</c>: 8 when it holds a span's pointer, else 4.</summary>
    public static int CapturesAlignment(AttentionVariantDescriptor variant)
    {
        foreach (AttentionCaptureDescriptor capture in variant.Captures)
        {
            if (capture.IsSpan)
            {
                return sizeof(ulong);
            }
        }

        return sizeof(int);
    }

    /// <summary>Lays out <paramref name="fields"/> then <paramref name="captures"/> at <paramref name="capturesAlignment"/>.</summary>
    /// <typeparam name="TFields">A host mirror struct of the fixed fields.</typeparam>
    /// <param name="fields">The fixed fields.</param>
    /// <param name="fieldsEnd">The byte offset just past the last fixed field.</param>
    /// <param name="captures">The <c>na_captures</c> bytes.</param>
    /// <param name="capturesAlignment">4, or 8 when the captures hold a pointer.</param>
    /// <returns>The block.</returns>
    public static unsafe GpuParamBlock Create<TFields>(in TFields fields, int fieldsEnd, ReadOnlySpan<byte> captures, int capturesAlignment)
        where TFields : unmanaged
    {
        int offset = (fieldsEnd + capturesAlignment - 1) & -capturesAlignment;
        if (offset + captures.Length > Capacity)
        {
            throw new NotSupportedException(
                $"Expected kernel parameters of at most {Capacity} bytes; actual {offset + captures.Length} ({captures.Length} bytes of captures at offset {offset}). Use fewer captures.");
        }

        // Pointers and Unsafe rather than MemoryMarshal: framework generics over these structs would be compiled by
        // the JIT on a process's first GPU call.
        GpuParamBlock block = default;
        byte* bytes = (byte*)Unsafe.AsPointer(ref block._element0);
        Unsafe.WriteUnaligned(bytes, fields);
        captures.CopyTo(new Span<byte>(bytes + offset, Capacity - offset));
        return block;
    }

    /// <summary>Gets the block's bytes, for <see cref="KernelArguments.AddBytes"/>.</summary>
    /// <returns>All <see cref="Capacity"/> bytes.</returns>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsBytes() => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref _element0), Capacity);
}
