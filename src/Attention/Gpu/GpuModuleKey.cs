using System;

namespace NativeAttention;

/// <summary>What makes one loaded unit differ from another: the spec's source, the template, dtype, dims and device.</summary>
/// <remarks>
/// A class with hand-written equality, not a record struct: a framework collection keyed by a struct of this assembly
/// (and the record's per-field EqualityComparer instantiations) cannot be precompiled by ReadyToRun, and its JIT lands
/// on a process's first GPU call.
/// </remarks>
internal sealed class GpuModuleKey(
    string cudaSource, GpuKernelTemplate template, GpuDataType dataType, int headDim, int valueDim, int deviceOrdinal)
    : IEquatable<GpuModuleKey>
{
    /// <summary>Gets the spec's CudaSource.</summary>
    public string CudaSource { get; } = cudaSource;

    /// <summary>Gets the kernel template.</summary>
    public GpuKernelTemplate Template { get; } = template;

    /// <summary>Gets the element type.</summary>
    public GpuDataType DataType { get; } = dataType;

    /// <summary>Gets the head dim the unit is compiled for.</summary>
    public int HeadDim { get; } = headDim;

    /// <summary>Gets the value dim the unit is compiled for.</summary>
    public int ValueDim { get; } = valueDim;

    /// <summary>Gets the device's ordinal.</summary>
    public int DeviceOrdinal { get; } = deviceOrdinal;

    /// <inheritdoc/>
    public bool Equals(GpuModuleKey? other)
        => other is not null
            && (int)Template == (int)other.Template
            && (int)DataType == (int)other.DataType
            && HeadDim == other.HeadDim
            && ValueDim == other.ValueDim
            && DeviceOrdinal == other.DeviceOrdinal
            && string.Equals(CudaSource, other.CudaSource, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GpuModuleKey);

    /// <inheritdoc/>
    public override int GetHashCode()
        => (((((CudaSource.GetHashCode() * 31) + (int)Template) * 31 + (int)DataType) * 31 + HeadDim) * 31 + ValueDim) * 31
            + DeviceOrdinal;
}
