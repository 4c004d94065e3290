using System;
using System.Threading;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>
/// One zero-initialised 64-bit word of page-locked host memory mapped into a device's address space
/// (<c>cuMemHostAlloc</c> with <c>CU_MEMHOSTALLOC_DEVICEMAP</c>): kernels write it through <see cref="DevicePointer"/>
/// and the host reads it in place, with no copy and no synchronize. Device atomics on it are atomic only among the
/// device's threads, so the host reads and clears it but never races a kernel for it.
/// </summary>
internal sealed unsafe class PinnedHostMappedWord : IDisposable
{
    private const uint DeviceMapFlag = 0x02;

    private readonly PinnedHostMemoryHandle _handle;

    /// <summary>Allocates the word in <paramref name="device"/>'s primary context and clears it.</summary>
    /// <param name="device">The device whose kernels write the word.</param>
    public PinnedHostMappedWord(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.MakeCurrent();
        void* host;
        CudaException.ThrowIfFailed(CudaDriverApi.cuMemHostAlloc(&host, sizeof(ulong), DeviceMapFlag), "cuMemHostAlloc");
        _handle = new PinnedHostMemoryHandle(device.Context, (nint)host);
        Volatile.Write(ref *(ulong*)host, 0UL);

        // On 64-bit unified addressing this is the host address itself, but the driver is the authority on it.
        ulong devicePointer;
        CudaException.ThrowIfFailed(CudaDriverApi.cuMemHostGetDevicePointer_v2(&devicePointer, host, 0), "cuMemHostGetDevicePointer_v2");
        DevicePointer = devicePointer;
    }

    /// <summary>Gets the address kernels use to reach the word.</summary>
    public ulong DevicePointer { get; }

    /// <summary>Reads the word as the device last wrote it.</summary>
    public ulong Read() => Volatile.Read(ref Word);

    /// <summary>Returns the word and clears it.</summary>
    public ulong Take() => Interlocked.Exchange(ref Word, 0UL);

    /// <summary>Frees the memory.</summary>
    public void Dispose() => _handle.Dispose();

    private ref ulong Word => ref *(ulong*)_handle.Value;
}
