using System;
using System.Numerics.Tensors;

namespace NativeAttention.Tests.Gpu;

/// <summary>A [batch, heads, seq, dim] device tensor with its own buffer, packed (BHSD) or as a strided BSHD view.</summary>
internal sealed class GpuTestTensor<T> : IDisposable
    where T : unmanaged
{
    private readonly DeviceBuffer<T> _buffer;

    private GpuTestTensor(DeviceBuffer<T> buffer, DeviceTensor<T> tensor)
    {
        _buffer = buffer;
        Tensor = tensor;
    }

    public DeviceTensor<T> Tensor { get; }

    /// <summary>Allocates the tensor and copies packed [batch, heads, seq, dim] host values into it.</summary>
    public static GpuTestTensor<T> Upload(CudaDevice device, T[] values, int batch, int heads, int seq, int dim, bool bshd)
    {
        DeviceTensorLayout layout = bshd
            ? DeviceTensorLayout.Create([batch, heads, seq, dim], [(nint)seq * heads * dim, dim, (nint)heads * dim, 1])
            : DeviceTensorLayout.RowMajor([batch, heads, seq, dim]);
        var buffer = new DeviceBuffer<T>(device, Math.Max(1, layout.RequiredBufferLength));
        var tensor = new DeviceTensor<T>(buffer, layout);
        tensor.CopyFrom(new ReadOnlyTensorSpan<T>(values, [batch, heads, seq, dim]));
        return new GpuTestTensor<T>(buffer, tensor);
    }

    public void Dispose() => _buffer.Dispose();
}
