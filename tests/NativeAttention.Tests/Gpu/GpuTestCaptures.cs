using System;
using System.Runtime.CompilerServices;

namespace NativeAttention.Tests.Gpu;

/// <summary>
/// The capture values of one test call: pinned host arrays for the CPU mods of the reference, their device copies
/// for the GPU, and scalars.
/// </summary>
internal sealed unsafe class GpuTestCaptures : IDisposable
{
    public float[]? Floats { get; init; }

    public int[]? Ints { get; init; }

    public int Int0 { get; init; }

    public int Int1 { get; init; }

    public float Float0 { get; init; }

    public DeviceBuffer<float>? DeviceFloats { get; private set; }

    public DeviceBuffer<int>? DeviceInts { get; private set; }

    public CaptureSpan<float> HostFloats => new((float*)Unsafe.AsPointer(ref Floats![0]), Floats.Length);

    public CaptureSpan<int> HostInts => new((int*)Unsafe.AsPointer(ref Ints![0]), Ints.Length);

    public static float[] PinnedFloats(int length) => GC.AllocateArray<float>(length, pinned: true);

    public static int[] PinnedInts(int length) => GC.AllocateArray<int>(length, pinned: true);

    public void Upload(CudaDevice device)
    {
        if (Floats is not null)
        {
            DeviceFloats = new DeviceBuffer<float>(device, Floats.Length);
            DeviceFloats.CopyFrom(Floats);
        }

        if (Ints is not null)
        {
            DeviceInts = new DeviceBuffer<int>(device, Ints.Length);
            DeviceInts.CopyFrom(Ints);
        }
    }

    public void Dispose()
    {
        DeviceFloats?.Dispose();
        DeviceInts?.Dispose();
    }
}
