using System;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>
/// Temporary device memory in stream order (<c>cuMemAllocFromPoolAsync</c> / <c>cuMemFreeAsync</c> on the device's
/// scratch pool, which keeps freed memory for reuse): it becomes usable by work queued on the stream after the allocation, and <see cref="Dispose"/> queues
/// the free behind that work, so neither end waits for the GPU.
/// </summary>
/// <remarks>Use it only from work on the stream it was allocated on; dispose it exactly once (there is no finalizer).</remarks>
public sealed unsafe class DeviceScratch : IDisposable
{
    private readonly CudaDevice _device;
    private readonly CudaStream? _stream;
    private ulong _pointer;

    /// <summary>Allocates <paramref name="bytes"/> bytes in the order of <paramref name="stream"/>.</summary>
    /// <param name="device">The device to allocate on; the stream must belong to it.</param>
    /// <param name="bytes">The size in bytes; at least 1.</param>
    /// <param name="stream">The stream whose work will use the memory; null for the legacy default stream.</param>
    public DeviceScratch(CudaDevice device, long bytes, CudaStream? stream)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (bytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"Expected a positive byte count; actual {bytes}.");
        }

        if (stream is not null && stream.Device != device)
        {
            throw new ArgumentException($"Expected a stream of {device}; actual a stream of {stream.Device}.", nameof(stream));
        }

        device.MakeCurrent();
        ulong pointer;
        CudaException.ThrowIfFailed(
            CudaDriverApi.cuMemAllocFromPoolAsync(&pointer, (nuint)bytes, device.ScratchPool, CudaStream.HandleOf(stream)), "cuMemAllocFromPoolAsync");
        _device = device;
        _stream = stream;
        _pointer = pointer;
        SizeInBytes = bytes;
    }

    /// <summary>Gets the size in bytes.</summary>
    public long SizeInBytes { get; }

    /// <summary>Gets the device address of the first byte.</summary>
    /// <exception cref="ObjectDisposedException">The scratch was disposed.</exception>
    public ulong DevicePointer => _pointer != 0 ? _pointer : throw new ObjectDisposedException(nameof(DeviceScratch));

    /// <summary>Queues the free on the allocation stream, behind the work already queued there.</summary>
    public void Dispose()
    {
        ulong pointer = _pointer;
        if (pointer == 0)
        {
            return;
        }

        _pointer = 0;
        _device.MakeCurrent();
        CudaException.ThrowIfFailed(CudaDriverApi.cuMemFreeAsync(pointer, CudaStream.HandleOf(_stream)), "cuMemFreeAsync");
    }
}
