using System;
using System.Numerics.Tensors;

namespace NativeAttention;

/// <summary>
/// A tensor in device memory: a <see cref="DeviceBuffer{T}"/> seen through a <see cref="DeviceTensorLayout"/>
/// (lengths, strides in elements, offset). Copies to and from host <see cref="ReadOnlyTensorSpan{T}"/> /
/// <see cref="TensorSpan{T}"/> views accept any host strides.
/// </summary>
/// <remarks>
/// A copy is one driver transfer when both sides are packed row-major. A non-contiguous host view is gathered into
/// (or scattered from) a host staging array. A device layout with gaps is updated by reading its element span,
/// scattering the host values into it and writing it back, so the elements in the gaps keep their values. The
/// <c>*Async</c> forms follow <see cref="DeviceBuffer{T}"/>'s pageable-memory rules; when they need a staging array
/// for a device-to-host copy they synchronize the stream before reading it.
/// </remarks>
/// <typeparam name="T">An unmanaged element type.</typeparam>
public sealed unsafe class DeviceTensor<T> : IDisposable
    where T : unmanaged
{
    private readonly bool _ownsBuffer;

    /// <summary>Creates a view of <paramref name="buffer"/>; disposing the tensor leaves the buffer alone.</summary>
    /// <param name="buffer">The device memory.</param>
    /// <param name="layout">The layout; its <see cref="DeviceTensorLayout.RequiredBufferLength"/> must not exceed the buffer length.</param>
    public DeviceTensor(DeviceBuffer<T> buffer, DeviceTensorLayout layout)
        : this(buffer, layout, ownsBuffer: false)
    {
    }

    private DeviceTensor(DeviceBuffer<T> buffer, DeviceTensorLayout layout, bool ownsBuffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.RequiredBufferLength > buffer.Length)
        {
            throw new ArgumentException(
                $"Expected a buffer of at least {layout.RequiredBufferLength} elements for {layout}; actual {buffer.Length}.", nameof(buffer));
        }

        Buffer = buffer;
        Layout = layout;
        _ownsBuffer = ownsBuffer;
    }

    /// <summary>Gets the device memory.</summary>
    public DeviceBuffer<T> Buffer { get; }

    /// <summary>Gets the lengths, strides and offset.</summary>
    public DeviceTensorLayout Layout { get; }

    /// <summary>Gets the length of each dimension.</summary>
    public ReadOnlySpan<nint> Lengths => Layout.Lengths;

    /// <summary>Gets the stride of each dimension, in elements.</summary>
    public ReadOnlySpan<nint> Strides => Layout.Strides;

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => Layout.Rank;

    /// <summary>Gets the number of elements.</summary>
    public long FlattenedLength => Layout.FlattenedLength;

    /// <summary>Gets the device address of index (0, …, 0), to pass as a kernel argument.</summary>
    public ulong DevicePointer => Buffer.DevicePointer + (ulong)Layout.Offset * (ulong)sizeof(T);

    /// <summary>Allocates a packed row-major tensor. The lengths are validated before any device call.</summary>
    /// <param name="device">The device to allocate on.</param>
    /// <param name="lengths">The length of each dimension.</param>
    /// <returns>A tensor that owns its buffer.</returns>
    public static DeviceTensor<T> Allocate(CudaDevice device, ReadOnlySpan<nint> lengths) => Allocate(device, DeviceTensorLayout.RowMajor(lengths));

    /// <summary>Allocates a tensor with the given layout (a buffer of <see cref="DeviceTensorLayout.RequiredBufferLength"/> elements).</summary>
    /// <param name="device">The device to allocate on.</param>
    /// <param name="layout">A validated layout.</param>
    /// <returns>A tensor that owns its buffer.</returns>
    public static DeviceTensor<T> Allocate(CudaDevice device, DeviceTensorLayout layout)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(layout);
        var buffer = new DeviceBuffer<T>(device, Math.Max(1, layout.RequiredBufferLength));
        return new DeviceTensor<T>(buffer, layout, ownsBuffer: true);
    }

    /// <summary>Copies a host view into the tensor; returns when the copy is done.</summary>
    /// <param name="source">A host view with the same lengths and any strides.</param>
    public void CopyFrom(in ReadOnlyTensorSpan<T> source) => Upload(source, null);

    /// <summary>Copies the tensor into a host view; returns when the copy is done.</summary>
    /// <param name="destination">A host view with the same lengths and any strides.</param>
    public void CopyTo(in TensorSpan<T> destination) => Download(destination, null);

    /// <summary>Queues a copy of a host view into the tensor on <paramref name="stream"/> (see the remarks).</summary>
    /// <param name="source">A host view with the same lengths and any strides.</param>
    /// <param name="stream">The stream to queue the copy on.</param>
    public void CopyFromAsync(in ReadOnlyTensorSpan<T> source, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Upload(source, stream);
    }

    /// <summary>Queues a copy of the tensor into a host view on <paramref name="stream"/> (see the remarks).</summary>
    /// <param name="destination">A host view with the same lengths and any strides.</param>
    /// <param name="stream">The stream to queue the copy on.</param>
    public void CopyToAsync(in TensorSpan<T> destination, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Download(destination, stream);
    }

    /// <summary>Frees the buffer when this tensor allocated it.</summary>
    public void Dispose()
    {
        if (_ownsBuffer)
        {
            Buffer.Dispose();
        }
    }

    private void Upload(in ReadOnlyTensorSpan<T> source, CudaStream? stream)
    {
        Layout.ValidateSameLengths(source.Lengths, nameof(source));
        if (Layout.FlattenedLength == 0)
        {
            return;
        }

        if (Layout.IsRowMajorContiguous)
        {
            if (IsPackedRowMajor(source.Lengths, source.Strides))
            {
                fixed (T* host = &source.GetPinnableReference())
                {
                    Buffer.CopyFromHost(host, Layout.FlattenedLength, Layout.Offset, stream);
                }

                return;
            }

            T[] packed = GC.AllocateUninitializedArray<T>(StagingLength(Layout.FlattenedLength, nameof(source)));
            source.FlattenTo(packed);
            CopyFromStaging(packed, stream);
            return;
        }

        T[] span = GC.AllocateUninitializedArray<T>(StagingLength(Layout.ElementSpan, nameof(source)));
        CopyToStaging(span, stream);
        source.CopyTo(new TensorSpan<T>(span, Layout.Lengths, Layout.Strides));
        CopyFromStaging(span, stream);
    }

    private void Download(in TensorSpan<T> destination, CudaStream? stream)
    {
        Layout.ValidateSameLengths(destination.Lengths, nameof(destination));
        if (Layout.FlattenedLength == 0)
        {
            return;
        }

        if (Layout.IsRowMajorContiguous && IsPackedRowMajor(destination.Lengths, destination.Strides))
        {
            fixed (T* host = &destination.GetPinnableReference())
            {
                Buffer.CopyToHost(host, Layout.FlattenedLength, Layout.Offset, stream);
            }

            return;
        }

        T[] staging = GC.AllocateUninitializedArray<T>(
            StagingLength(Layout.IsRowMajorContiguous ? Layout.FlattenedLength : Layout.ElementSpan, nameof(destination)));
        CopyToStaging(staging, stream);
        ReadOnlyTensorSpan<T> view = Layout.IsRowMajorContiguous
            ? new ReadOnlyTensorSpan<T>(staging, Layout.Lengths)
            : new ReadOnlyTensorSpan<T>(staging, Layout.Lengths, Layout.Strides);
        view.CopyTo(destination);
    }

    private void CopyFromStaging(T[] staging, CudaStream? stream)
    {
        fixed (T* host = staging)
        {
            Buffer.CopyFromHost(host, staging.Length, Layout.Offset, stream);
        }
    }

    private void CopyToStaging(T[] staging, CudaStream? stream)
    {
        fixed (T* host = staging)
        {
            Buffer.CopyToHost(host, staging.Length, Layout.Offset, stream);
        }

        stream?.Synchronize();
    }

    private static bool IsPackedRowMajor(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        long expected = 1;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            if (lengths[i] != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= lengths[i];
        }

        return true;
    }

    private static int StagingLength(long elements, string parameterName) =>
        elements <= Array.MaxLength
            ? (int)elements
            : throw new ArgumentException(
                $"Expected at most {Array.MaxLength} elements for a copy through host staging (non-contiguous view or device layout); actual {elements}.",
                parameterName);
}
