using System;

namespace NativeAttention;

/// <summary>A tile map kept in device memory for reuse, with the event that marks the end of the kernel that built it.</summary>
internal sealed class GpuCachedTileMap(DeviceBuffer<byte> map, CudaEvent built, CudaStream? builtOn)
{
    /// <summary>Gets the map.</summary>
    public DeviceBuffer<byte> Map { get; } = map;

    /// <summary>
    /// Makes the map safe to read from <paramref name="stream"/>: work on the stream that built it is already ordered
    /// after the build; another stream waits on the host only while the build is still running.
    /// </summary>
    public void EnsureReadableFrom(CudaStream? stream)
    {
        if (ReferenceEquals(stream, builtOn) || built.IsCompleted)
        {
            return;
        }

        built.Synchronize();
    }
}
