using System;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>
/// Page-locked host memory (<c>cuMemAllocHost_v2</c>) for copies that overlap with host work and kernels.
/// Page-locked memory is a scarce system resource: keep such buffers for staging, not for bulk data.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
public sealed unsafe class PinnedHostBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly PinnedHostMemoryHandle _handle;

    /// <summary>Allocates page-locked host memory for <paramref name="length"/> elements, visible to <paramref name="device"/>'s context.</summary>
    /// <param name="device">The device whose primary context registers the memory.</param>
    /// <param name="length">The element count, in [1, <see cref="int.MaxValue"/>].</param>
    public PinnedHostBuffer(CudaDevice device, int length)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Expected a positive element count; actual {length}.");
        }

        device.MakeCurrent();
        void* pointer;
        CudaException.ThrowIfFailed(CudaDriverApi.cuMemAllocHost_v2(&pointer, (nuint)length * (nuint)sizeof(T)), "cuMemAllocHost_v2");
        _handle = new PinnedHostMemoryHandle(device.Context, (nint)pointer);
        Length = length;
    }

    /// <summary>Gets the number of elements.</summary>
    public int Length { get; }

    /// <summary>Gets the elements; valid until the buffer is disposed.</summary>
    public Span<T> Span => new((void*)_handle.Value, Length);

    /// <summary>Frees the memory.</summary>
    public void Dispose() => _handle.Dispose();
}
