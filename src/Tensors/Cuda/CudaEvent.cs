using System;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>A CUDA event: a marker recorded into a stream, used to wait for work or to time it on the GPU.</summary>
public sealed class CudaEvent : IDisposable
{
    private readonly CudaEventHandle _handle;

    /// <summary>Creates an event on <paramref name="device"/> with timing enabled.</summary>
    /// <param name="device">The device whose primary context owns the event.</param>
    public unsafe CudaEvent(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.MakeCurrent();
        nint cudaEvent;
        CudaException.ThrowIfFailed(CudaDriverApi.cuEventCreate(&cudaEvent, 0), "cuEventCreate");
        _handle = new CudaEventHandle(device.Context, cudaEvent);
        Device = device;
    }

    /// <summary>Gets the device the event belongs to.</summary>
    public CudaDevice Device { get; }

    /// <summary>Gets whether all work captured by the last <see cref="Record"/> has finished.</summary>
    public bool IsCompleted
    {
        get
        {
            int result = CudaDriverApi.cuEventQuery(_handle.Value);
            if (result == CudaDriverApi.ErrorNotReady)
            {
                return false;
            }

            CudaException.ThrowIfFailed(result, "cuEventQuery");
            return true;
        }
    }

    /// <summary>Records the event at the current end of <paramref name="stream"/>.</summary>
    /// <param name="stream">The stream; null for the legacy default stream.</param>
    public void Record(CudaStream? stream)
    {
        Device.MakeCurrent();
        CudaException.ThrowIfFailed(CudaDriverApi.cuEventRecord(_handle.Value, CudaStream.HandleOf(stream)), "cuEventRecord");
    }

    /// <summary>Blocks the calling thread until the recorded work has finished.</summary>
    public void Synchronize() => CudaException.ThrowIfFailed(CudaDriverApi.cuEventSynchronize(_handle.Value), "cuEventSynchronize");

    /// <summary>Gets the GPU time between two recorded, completed events (resolution about 0.5 µs).</summary>
    /// <param name="start">The event recorded first.</param>
    /// <param name="end">The event recorded last; it must have completed (see <see cref="Synchronize"/>).</param>
    /// <returns>Milliseconds from <paramref name="start"/> to <paramref name="end"/>.</returns>
    public static unsafe float ElapsedMilliseconds(CudaEvent start, CudaEvent end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        float milliseconds;
        CudaException.ThrowIfFailed(CudaDriverApi.cuEventElapsedTime(&milliseconds, start._handle.Value, end._handle.Value), "cuEventElapsedTime");
        return milliseconds;
    }

    /// <summary>Destroys the event.</summary>
    public void Dispose() => _handle.Dispose();
}
