namespace NativeAttention;

/// <summary>What validation needs of a device tensor: its layout, its device address and its device's ordinal.</summary>
internal readonly record struct GpuTensorView(DeviceTensorLayout Layout, ulong Pointer, int DeviceOrdinal)
{
    /// <summary>Gets the view of <paramref name="tensor"/>.</summary>
    public static GpuTensorView Of<T>(DeviceTensor<T> tensor)
        where T : unmanaged
        => new(tensor.Layout, tensor.DevicePointer, tensor.Buffer.Device.Ordinal);
}
