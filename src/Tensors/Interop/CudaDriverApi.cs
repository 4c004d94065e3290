using System.Runtime.InteropServices;

namespace NativeAttention.Interop;

/// <summary>
/// CUDA driver API entry points (blittable, source-generated). Handles are <see cref="nint"/>, device pointers
/// <see cref="ulong"/>, every call returns a <c>CUresult</c> as <see cref="int"/>. The <c>_v2</c> names are used
/// wherever the driver exports one, as the CUDA headers do.
/// </summary>
internal static unsafe partial class CudaDriverApi
{
    internal const int Success = 0;
    internal const int ErrorNotReady = 600;

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuInit(uint flags);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuDriverGetVersion(int* version);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuGetErrorName(int error, byte** name);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuGetErrorString(int error, byte** description);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuDeviceGetCount(int* count);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuDeviceGet(int* device, int ordinal);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuDeviceGetAttribute(int* value, CudaDeviceAttribute attribute, int device);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuDeviceTotalMem_v2(nuint* bytes, int device);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuDevicePrimaryCtxRetain(nint* context, int device);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuCtxSetCurrent(nint context);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuCtxPushCurrent_v2(nint context);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuCtxPopCurrent_v2(nint* context);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuCtxSynchronize();

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemAlloc_v2(ulong* devicePointer, nuint bytes);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemFree_v2(ulong devicePointer);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemAllocHost_v2(void** hostPointer, nuint bytes);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemFreeHost(void* hostPointer);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemHostAlloc(void** hostPointer, nuint bytes, uint flags);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemHostGetDevicePointer_v2(ulong* devicePointer, void* hostPointer, uint flags);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemFreeAsync(ulong devicePointer, nint stream);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemPoolCreate(nint* pool, CudaMemoryPoolProperties* properties);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemPoolSetAttribute(nint pool, int attribute, void* value);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemPoolDestroy(nint pool);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuMemAllocFromPoolAsync(ulong* devicePointer, nuint bytes, nint pool, nint stream);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuStreamCreate(nint* stream, uint flags);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuStreamDestroy_v2(nint stream);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuStreamSynchronize(nint stream);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuEventCreate(nint* evt, uint flags);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuEventDestroy_v2(nint evt);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuEventRecord(nint evt, nint stream);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuEventSynchronize(nint evt);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuEventQuery(nint evt);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuEventElapsedTime(float* milliseconds, nint start, nint end);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuModuleLoadData(nint* module, void* image);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuModuleUnload(nint module);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuModuleGetFunction(nint* function, nint module, byte* name);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuModuleGetGlobal_v2(ulong* devicePointer, nuint* bytes, nint module, byte* name);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuFuncGetAttribute(int* value, CudaFunctionAttribute attribute, nint function);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuFuncSetAttribute(nint function, CudaFunctionAttribute attribute, int value);

    [LibraryImport(NativeLibraries.CudaDriver)]
    internal static partial int cuLaunchKernel(
        nint function,
        uint gridX, uint gridY, uint gridZ,
        uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, nint stream, void** kernelParameters, void** extra);
}
