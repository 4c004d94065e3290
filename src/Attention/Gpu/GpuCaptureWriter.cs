using System;
using System.Buffers.Binary;
using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// Writes a spec's captures into the bytes of its CUDA <c>na_captures</c> struct, at the offsets of its
/// <see cref="AttentionVariantDescriptor"/>: a span capture becomes a device pointer plus an <c>int</c> length, a
/// scalar its value, and the struct's fault word pointer when the spec has span reads the host cannot check. Generated
/// GPU overloads use it before calling <see cref="GpuAttention"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct GpuCaptureWriter
{
    private readonly AttentionVariantDescriptor _variant;
    private readonly Span<byte> _destination;

    /// <summary>Clears <paramref name="destination"/> and prepares to fill it.</summary>
    /// <param name="variant">The spec's descriptor.</param>
    /// <param name="destination">Exactly <see cref="AttentionVariantDescriptor.CapturesSize"/> bytes.</param>
    public GpuCaptureWriter(AttentionVariantDescriptor variant, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (destination.Length != variant.CapturesSize)
        {
            throw new ArgumentException(
                $"Expected {variant.CapturesSize} bytes for the captures of {variant.Name} (its na_captures size); actual {destination.Length}.",
                nameof(destination));
        }

        destination.Clear();
        _variant = variant;
        _destination = destination;
    }

    /// <summary>Writes a <c>ReadOnlySpan&lt;float&gt;</c> capture: the buffer's device pointer and length.</summary>
    /// <param name="index">The capture's index in <see cref="AttentionVariantDescriptor.Captures"/>.</param>
    /// <param name="buffer">The device memory the kernels read.</param>
    public readonly void Write(int index, DeviceBuffer<float> buffer)
    {
        AttentionCaptureDescriptor capture = Capture(index, AttentionCaptureKind.FloatSpan);
        ArgumentNullException.ThrowIfNull(buffer, capture.Name);
        WriteSpan(capture, buffer.DevicePointer, buffer.Length);
    }

    /// <summary>Writes a <c>ReadOnlySpan&lt;int&gt;</c> capture: the buffer's device pointer and length.</summary>
    /// <param name="index">The capture's index in <see cref="AttentionVariantDescriptor.Captures"/>.</param>
    /// <param name="buffer">The device memory the kernels read.</param>
    public readonly void Write(int index, DeviceBuffer<int> buffer)
    {
        AttentionCaptureDescriptor capture = Capture(index, AttentionCaptureKind.IntSpan);
        ArgumentNullException.ThrowIfNull(buffer, capture.Name);
        WriteSpan(capture, buffer.DevicePointer, buffer.Length);
    }

    /// <summary>Writes a <c>float</c> capture.</summary>
    /// <param name="index">The capture's index in <see cref="AttentionVariantDescriptor.Captures"/>.</param>
    /// <param name="value">The value, passed as a launch argument.</param>
    public readonly void Write(int index, float value)
    {
        AttentionCaptureDescriptor capture = Capture(index, AttentionCaptureKind.Float);
        BinaryPrimitives.WriteSingleLittleEndian(_destination[capture.Offset..], value);
    }

    /// <summary>Writes an <c>int</c> capture.</summary>
    /// <param name="index">The capture's index in <see cref="AttentionVariantDescriptor.Captures"/>.</param>
    /// <param name="value">The value, passed as a launch argument.</param>
    public readonly void Write(int index, int value)
    {
        AttentionCaptureDescriptor capture = Capture(index, AttentionCaptureKind.Int);
        BinaryPrimitives.WriteInt32LittleEndian(_destination[capture.Offset..], value);
    }

    /// <summary>
    /// Writes the pointer to the spec's fault word on the device of <paramref name="query"/>, for span reads whose index
    /// the host cannot check; call it after every capture is written. Reports an earlier fault on that device first.
    /// </summary>
    /// <typeparam name="T">The element type of the call's tensors.</typeparam>
    /// <param name="offset">The byte offset of the <c>na_fault</c> field in <c>na_captures</c>.</param>
    /// <param name="query">The call's query tensor, whose device runs the kernels.</param>
    /// <exception cref="IndexOutOfRangeException">An earlier call on that device read a span capture out of range.</exception>
    public readonly void WriteCaptureFault<T>(int offset, DeviceTensor<T> query)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(query);
        if (offset < 0 || offset % sizeof(ulong) != 0 || offset > _destination.Length - sizeof(ulong))
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset), offset, $"Expected an 8-aligned offset in [0, {_destination.Length - sizeof(ulong)}] for the fault word of {_variant.Name}; actual {offset}.");
        }

        ulong pointer = GpuCaptureFault.Arm(query.Buffer.Device, _variant, _destination);
        BinaryPrimitives.WriteUInt64LittleEndian(_destination[offset..], pointer);
    }

    private readonly void WriteSpan(AttentionCaptureDescriptor capture, ulong pointer, long length)
    {
        if (length > int.MaxValue)
        {
            throw new ArgumentException(
                $"Expected the capture '{capture.Name}' to hold at most {int.MaxValue} elements (its CUDA length is an int); actual {length}.", capture.Name);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(_destination[capture.Offset..], pointer);
        BinaryPrimitives.WriteInt32LittleEndian(_destination[capture.LengthOffset..], (int)length);
    }

    private readonly AttentionCaptureDescriptor Capture(int index, AttentionCaptureKind kind)
    {
        if ((uint)index >= (uint)_variant.Captures.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(index), index, $"Expected a capture index in [0, {_variant.Captures.Count}) for {_variant.Name}; actual {index}.");
        }

        AttentionCaptureDescriptor capture = _variant.Captures[index];
        if (capture.Kind != kind)
        {
            throw new ArgumentException(
                $"Expected a {capture.Kind} value for the capture '{capture.Name}' of {_variant.Name}; actual a {kind} value.", capture.Name);
        }

        return capture;
    }
}
