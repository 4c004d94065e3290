using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace NativeAttention;

/// <summary>
/// The fault word of one spec on one CUDA context: the spec's checked span reads record their first out-of-range index
/// in it as <c>(capture ordinal + 1) &lt;&lt; 32 | (uint)index</c>. It also keeps the span lengths of the spec's latest
/// call on the context, which the report names.
/// </summary>
internal sealed class GpuCaptureFaultWord(CudaDevice device, AttentionVariantDescriptor variant)
{
    private readonly PinnedHostMappedWord _word = new(device);
    private readonly int[] _lengths = new int[variant.Captures.Count];

    /// <summary>Gets the device whose primary context the word belongs to.</summary>
    public CudaDevice Device { get; } = device;

    /// <summary>Gets the spec whose kernels write the word.</summary>
    public AttentionVariantDescriptor Variant { get; } = variant;

    /// <summary>Gets the address the spec's <c>na_captures</c> carries.</summary>
    public ulong DevicePointer => _word.DevicePointer;

    /// <summary>Keeps the span lengths written into <paramref name="captures"/> for a later report.</summary>
    public void RecordLengths(ReadOnlySpan<byte> captures)
    {
        for (int i = 0; i < _lengths.Length; i++)
        {
            AttentionCaptureDescriptor capture = Variant.Captures[i];
            if (capture.IsSpan)
            {
                _lengths[i] = BinaryPrimitives.ReadInt32LittleEndian(captures[capture.LengthOffset..]);
            }
        }
    }

    /// <summary>When a read was recorded, clears the word and returns the exception that reports it.</summary>
    public bool TryTakeFault([NotNullWhen(true)] out IndexOutOfRangeException? fault)
    {
        fault = null;
        if (_word.Read() == 0)
        {
            return false;
        }

        ulong word = _word.Take();
        if (word == 0)
        {
            return false;
        }

        int ordinal = (int)(word >> 32) - 1;
        int index = (int)(uint)word;
        string capture = (uint)ordinal < (uint)Variant.Captures.Count ? $"'{Variant.Captures[ordinal].Name}'" : $"number {ordinal}";
        string length = (uint)ordinal < (uint)_lengths.Length ? _lengths[ordinal].ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        fault = new IndexOutOfRangeException(
            $"An earlier GPU call of {Variant.FullName} on {Device} read its capture {capture} at index {index}, outside its "
            + $"{length} elements (the length at the spec's latest call on this device); the read yielded 0 instead, so that "
            + "call's output is not valid. The CPU path throws IndexOutOfRangeException for the same read.");
        return true;
    }
}
