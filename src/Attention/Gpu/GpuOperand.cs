namespace NativeAttention;

/// <summary>A [batch, heads, seq, dim] device tensor as the kernels see it: base address and element strides (dim contiguous).</summary>
internal readonly record struct GpuOperand(ulong Pointer, long BatchStride, long HeadStride, long SeqStride)
{
    /// <summary>Gets the operand of a validated rank-4 tensor.</summary>
    public static GpuOperand Of<T>(DeviceTensor<T> tensor)
        where T : unmanaged
        => new(tensor.DevicePointer, tensor.Strides[0], tensor.Strides[1], tensor.Strides[2]);

    /// <summary>Gets the operand of a packed [batch, heads, seq, dim] tensor at <paramref name="pointer"/>.</summary>
    public static GpuOperand Packed(ulong pointer, int heads, int seq, int dim)
        => new(pointer, (long)heads * seq * dim, (long)seq * dim, dim);
}
