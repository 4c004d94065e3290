using System;

namespace NativeAttention;

/// <summary>The 16-bit element types the GPU kernels take, and their <c>NA_DTYPE</c> spelling.</summary>
internal enum GpuDataType
{
    /// <summary><see cref="NativeAttention.BFloat16"/>: <c>NA_DTYPE=bf16</c>.</summary>
    BFloat16,

    /// <summary><see cref="Half"/>: <c>NA_DTYPE=fp16</c>.</summary>
    Float16,
}

/// <summary>Maps element types to <see cref="GpuDataType"/>.</summary>
internal static class GpuDataTypes
{
    /// <summary>Returns the GPU data type of <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not <see cref="Half"/> or <see cref="BFloat16"/>.</exception>
    public static GpuDataType Of<T>()
    {
        if (typeof(T) == typeof(BFloat16))
        {
            return GpuDataType.BFloat16;
        }

        if (typeof(T) == typeof(Half))
        {
            return GpuDataType.Float16;
        }

        throw new NotSupportedException(
            $"GPU attention kernels take Half or BFloat16 elements (tensor-core mma.sync m16n8k16); actual {typeof(T).Name}. "
            + "Convert the tensors to Half or BFloat16, or run the CPU overload.");
    }

    /// <summary>Returns the value of the <c>NA_DTYPE</c> define.</summary>
    public static string Define(this GpuDataType type) => type == GpuDataType.BFloat16 ? "bf16" : "fp16";
}
