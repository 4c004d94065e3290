namespace NativeAttention.Interop;

/// <summary>The <c>CUdevice_attribute</c> values this library reads (numbers from cuda.h).</summary>
internal enum CudaDeviceAttribute
{
    MaxThreadsPerBlock = 1,
    MaxSharedMemoryPerBlock = 8,
    WarpSize = 10,
    ClockRateKilohertz = 13,
    MultiprocessorCount = 16,
    MemoryClockRateKilohertz = 36,
    GlobalMemoryBusWidth = 37,
    L2CacheSize = 38,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
    MaxSharedMemoryPerMultiprocessor = 81,
    MaxSharedMemoryPerBlockOptin = 97,
}
