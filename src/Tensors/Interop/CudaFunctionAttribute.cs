namespace NativeAttention.Interop;

/// <summary>The <c>CUfunction_attribute</c> values this library reads or sets (numbers from cuda.h).</summary>
internal enum CudaFunctionAttribute
{
    MaxThreadsPerBlock = 0,
    SharedSizeBytes = 1,
    ConstSizeBytes = 2,
    LocalSizeBytes = 3,
    NumRegisters = 4,
    PtxVersion = 5,
    BinaryVersion = 6,
    MaxDynamicSharedSizeBytes = 8,
}
