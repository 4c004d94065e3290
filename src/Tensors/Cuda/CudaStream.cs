using System;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>A CUDA stream on a device's primary context: work queued on it runs in order, asynchronously to the host.</summary>
public sealed class CudaStream : IDisposable
{
    private readonly CudaStreamHandle _handle;

    /// <summary>Creates a stream on <paramref name="device"/>.</summary>
    /// <param name="device">The device whose primary context owns the stream.</param>
    /// <param name="nonBlocking">True for <c>CU_STREAM_NON_BLOCKING</c>: no implicit synchronization with the legacy default stream.</param>
    public unsafe CudaStream(CudaDevice device, bool nonBlocking = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.MakeCurrent();
        nint stream;
        CudaException.ThrowIfFailed(CudaDriverApi.cuStreamCreate(&stream, nonBlocking ? 1u : 0u), "cuStreamCreate");
        _handle = new CudaStreamHandle(device.Context, stream);
        Device = device;
    }

    /// <summary>Gets the device the stream belongs to.</summary>
    public CudaDevice Device { get; }

    /// <summary>Gets the raw <c>CUstream</c>, e.g. to hand to another CUDA library.</summary>
    public nint NativeHandle => _handle.Value;

    /// <summary>Waits until all work queued on the stream has finished.</summary>
    public void Synchronize() => CudaException.ThrowIfFailed(CudaDriverApi.cuStreamSynchronize(_handle.Value), "cuStreamSynchronize");

    /// <summary>Destroys the stream; queued work still completes.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Gets the raw handle of <paramref name="stream"/>, or the legacy default stream (0) for null.</summary>
    internal static nint HandleOf(CudaStream? stream) => stream is null ? 0 : stream._handle.Value;
}
