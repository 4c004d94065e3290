using System;
using System.Runtime.CompilerServices;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>
/// A block of device memory holding <see cref="Length"/> elements of <typeparamref name="T"/>, owned by a
/// SafeHandle (freed on <see cref="Dispose"/> or by the finalizer).
/// </summary>
/// <remarks>
/// The <c>*Async</c> copies take a stream and return without waiting for the GPU, with the CUDA driver's rules for
/// pageable host memory: a host-to-device copy from ordinary (pageable) memory returns once the source has been
/// staged, so the span may be reused at once, but the host waits for the staging; a device-to-host copy into
/// pageable memory returns only when the copy has finished. Only page-locked memory (<see cref="PinnedHostBuffer{T}"/>)
/// makes a copy truly asynchronous; then the memory must stay alive and untouched until the stream is synchronized.
/// </remarks>
/// <typeparam name="T">An unmanaged element type.</typeparam>
public sealed unsafe class DeviceBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly DeviceMemoryHandle _handle;

    /// <summary>Allocates uninitialized device memory for <paramref name="length"/> elements.</summary>
    /// <param name="device">The device to allocate on.</param>
    /// <param name="length">The element count; at least 1.</param>
    public DeviceBuffer(CudaDevice device, long length)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Expected a positive element count; actual {length}.");
        }

        nuint bytes = checked((nuint)length * (nuint)sizeof(T));
        device.MakeCurrent();
        ulong pointer;
        CudaException.ThrowIfFailed(CudaDriverApi.cuMemAlloc_v2(&pointer, bytes), "cuMemAlloc_v2");
        _handle = new DeviceMemoryHandle(device.Context, pointer);
        Device = device;
        Length = length;
    }

    /// <summary>Gets the device that holds the memory.</summary>
    public CudaDevice Device { get; }

    /// <summary>Gets the number of elements.</summary>
    public long Length { get; }

    /// <summary>Gets the size in bytes.</summary>
    public long SizeInBytes => Length * sizeof(T);

    /// <summary>Gets the device address (<c>CUdeviceptr</c>) of element 0, to pass as a kernel argument.</summary>
    public ulong DevicePointer => (ulong)_handle.Value;

    /// <summary>Copies <paramref name="source"/> into the buffer starting at element <paramref name="destinationOffset"/>; returns when the copy is done.</summary>
    /// <param name="source">The host elements.</param>
    /// <param name="destinationOffset">The first element of the buffer to write.</param>
    public void CopyFrom(ReadOnlySpan<T> source, long destinationOffset = 0)
    {
        CheckRange(destinationOffset, source.Length, nameof(destinationOffset), nameof(source));
        fixed (T* host = source)
        {
            CopyFromHost(host, source.Length, destinationOffset, null);
        }
    }

    /// <summary>Copies elements starting at <paramref name="sourceOffset"/> into <paramref name="destination"/>; returns when the copy is done.</summary>
    /// <param name="destination">The host elements to fill; its length is the element count.</param>
    /// <param name="sourceOffset">The first element of the buffer to read.</param>
    public void CopyTo(Span<T> destination, long sourceOffset = 0)
    {
        CheckRange(sourceOffset, destination.Length, nameof(sourceOffset), nameof(destination));
        fixed (T* host = destination)
        {
            CopyToHost(host, destination.Length, sourceOffset, null);
        }
    }

    /// <summary>Queues a host-to-device copy on <paramref name="stream"/> (see the remarks on pageable memory).</summary>
    /// <param name="source">The host elements; if they are page-locked they must stay untouched until the stream is synchronized.</param>
    /// <param name="stream">The stream to queue the copy on.</param>
    /// <param name="destinationOffset">The first element of the buffer to write.</param>
    public void CopyFromAsync(ReadOnlySpan<T> source, CudaStream stream, long destinationOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckRange(destinationOffset, source.Length, nameof(destinationOffset), nameof(source));
        fixed (T* host = source)
        {
            CopyFromHost(host, source.Length, destinationOffset, stream);
        }
    }

    /// <summary>Queues a device-to-host copy on <paramref name="stream"/> (see the remarks on pageable memory).</summary>
    /// <param name="destination">The host elements to fill; if they are page-locked, read them only after the stream is synchronized.</param>
    /// <param name="stream">The stream to queue the copy on.</param>
    /// <param name="sourceOffset">The first element of the buffer to read.</param>
    public void CopyToAsync(Span<T> destination, CudaStream stream, long sourceOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckRange(sourceOffset, destination.Length, nameof(sourceOffset), nameof(destination));
        fixed (T* host = destination)
        {
            CopyToHost(host, destination.Length, sourceOffset, stream);
        }
    }

    /// <summary>Queues a truly asynchronous copy of the whole page-locked <paramref name="source"/> into the buffer.</summary>
    /// <param name="source">Page-locked host memory; keep it alive and unchanged until the stream is synchronized.</param>
    /// <param name="stream">The stream to queue the copy on.</param>
    /// <param name="destinationOffset">The first element of the buffer to write.</param>
    public void CopyFromAsync(PinnedHostBuffer<T> source, CudaStream stream, long destinationOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        CopyFromAsync(source.Span, stream, destinationOffset);
    }

    /// <summary>Queues a truly asynchronous copy into the whole page-locked <paramref name="destination"/>.</summary>
    /// <param name="destination">Page-locked host memory; read it only after the stream is synchronized.</param>
    /// <param name="stream">The stream to queue the copy on.</param>
    /// <param name="sourceOffset">The first element of the buffer to read.</param>
    public void CopyToAsync(PinnedHostBuffer<T> destination, CudaStream stream, long sourceOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CopyToAsync(destination.Span, stream, sourceOffset);
    }

    /// <summary>Frees the device memory.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Copies <paramref name="count"/> elements from host memory; synchronous when <paramref name="stream"/> is null. Range already checked.</summary>
    internal void CopyFromHost(T* source, long count, long destinationOffset, CudaStream? stream)
    {
        Device.MakeCurrent();
        nuint bytes = (nuint)count * (nuint)sizeof(T);
        ulong destination = Address(destinationOffset);
        if (stream is null)
        {
            CudaException.ThrowIfFailed(CudaDriverApi.cuMemcpyHtoD_v2(destination, source, bytes), "cuMemcpyHtoD_v2");
        }
        else
        {
            CudaException.ThrowIfFailed(
                CudaDriverApi.cuMemcpyHtoDAsync_v2(destination, source, bytes, stream.NativeHandle), "cuMemcpyHtoDAsync_v2");
        }
    }

    /// <summary>Copies <paramref name="count"/> elements to host memory; synchronous when <paramref name="stream"/> is null. Range already checked.</summary>
    internal void CopyToHost(T* destination, long count, long sourceOffset, CudaStream? stream)
    {
        Device.MakeCurrent();
        nuint bytes = (nuint)count * (nuint)sizeof(T);
        ulong source = Address(sourceOffset);
        if (stream is null)
        {
            CudaException.ThrowIfFailed(CudaDriverApi.cuMemcpyDtoH_v2(destination, source, bytes), "cuMemcpyDtoH_v2");
        }
        else
        {
            CudaException.ThrowIfFailed(
                CudaDriverApi.cuMemcpyDtoHAsync_v2(destination, source, bytes, stream.NativeHandle), "cuMemcpyDtoHAsync_v2");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Address(long elementOffset) => (ulong)_handle.Value + (ulong)elementOffset * (ulong)sizeof(T);

    private void CheckRange(long offset, int count, string offsetName, string spanName)
    {
        if (offset < 0 || offset > Length)
        {
            throw new ArgumentOutOfRangeException(offsetName, offset, $"Expected an element offset in [0, {Length}]; actual {offset}.");
        }

        if (count > Length - offset)
        {
            throw new ArgumentException(
                $"Expected at most {Length - offset} elements (buffer length {Length} minus offset {offset}); actual {count}.", spanName);
        }
    }
}
