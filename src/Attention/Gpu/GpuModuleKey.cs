namespace NativeAttention;

/// <summary>What makes one loaded unit differ from another: the spec's source, the template, dtype, dims and device.</summary>
internal readonly record struct GpuModuleKey(
    string CudaSource, GpuKernelTemplate Template, GpuDataType DataType, int HeadDim, int ValueDim, int DeviceOrdinal);
