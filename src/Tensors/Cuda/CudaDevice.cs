using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Threading;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>
/// A CUDA device and its primary context. The primary context is the one cuBLAS, PyTorch and ONNX Runtime use, so
/// memory and modules created here are shared with them. It is retained once per process and never released;
/// every operation of this library makes it current on the calling thread first.
/// </summary>
public sealed class CudaDevice
{
    private static readonly Lock s_lock = new();
    private static CudaDevice?[]? s_devices;
    private readonly int _deviceHandle;
    private volatile nint _scratchPool;

    private unsafe CudaDevice(int ordinal)
    {
        int device;
        CudaException.ThrowIfFailed(CudaDriverApi.cuDeviceGet(&device, ordinal), "cuDeviceGet");
        nint context;
        CudaException.ThrowIfFailed(CudaDriverApi.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
        Context = context;
        Ordinal = ordinal;
        _deviceHandle = device;

        const int NameCapacity = 256;
        byte* name = stackalloc byte[NameCapacity];
        CudaException.ThrowIfFailed(CudaDriverApi.cuDeviceGetName(name, NameCapacity, device), "cuDeviceGetName");
        Name = Marshal.PtrToStringUTF8((nint)name) ?? string.Empty;

        nuint totalMemory;
        CudaException.ThrowIfFailed(CudaDriverApi.cuDeviceTotalMem_v2(&totalMemory, device), "cuDeviceTotalMem_v2");
        TotalMemoryBytes = (long)totalMemory;

        MultiprocessorCount = Attribute(device, CudaDeviceAttribute.MultiprocessorCount);
        ComputeCapabilityMajor = Attribute(device, CudaDeviceAttribute.ComputeCapabilityMajor);
        ComputeCapabilityMinor = Attribute(device, CudaDeviceAttribute.ComputeCapabilityMinor);
        MaxSharedMemoryPerBlock = Attribute(device, CudaDeviceAttribute.MaxSharedMemoryPerBlock);
        MaxSharedMemoryPerBlockOptin = Attribute(device, CudaDeviceAttribute.MaxSharedMemoryPerBlockOptin);
        MaxSharedMemoryPerMultiprocessor = Attribute(device, CudaDeviceAttribute.MaxSharedMemoryPerMultiprocessor);
        L2CacheBytes = Attribute(device, CudaDeviceAttribute.L2CacheSize);
        MaxThreadsPerBlock = Attribute(device, CudaDeviceAttribute.MaxThreadsPerBlock);
        WarpSize = Attribute(device, CudaDeviceAttribute.WarpSize);
        ClockRateKilohertz = Attribute(device, CudaDeviceAttribute.ClockRateKilohertz);

        // The scratch pool maps its first block on its first allocation: 7-12 ms on an H200, measured inside the first
        // attention call that needed scratch (a document mask's tile map, split-KV decode, a padded head dim). Done here,
        // it sits beside the context's own initialization, which costs far more, and the block stays mapped. A failure
        // is left to the first real use, which reports it.
        if (TryCreateScratchPool(out nint pool) == CudaDriverApi.Success)
        {
            ulong first;
            if (CudaDriverApi.cuMemAllocFromPoolAsync(&first, 1, pool, 0) == CudaDriverApi.Success)
            {
                CudaDriverApi.cuMemFreeAsync(first, 0);
                CudaDriverApi.cuStreamSynchronize(0);
            }

            _scratchPool = pool;
        }
    }

    /// <summary>Gets device 0.</summary>
    /// <exception cref="InvalidOperationException">CUDA is not available; the message says why.</exception>
    public static CudaDevice Default => Get(0);

    /// <summary>Gets the ordinal passed to <c>cuDeviceGet</c>.</summary>
    public int Ordinal { get; }

    /// <summary>Gets the device name, e.g. "NVIDIA H200".</summary>
    public string Name { get; }

    /// <summary>Gets the number of streaming multiprocessors.</summary>
    public int MultiprocessorCount { get; }

    /// <summary>Gets the major compute capability (9 for Hopper).</summary>
    public int ComputeCapabilityMajor { get; }

    /// <summary>Gets the minor compute capability.</summary>
    public int ComputeCapabilityMinor { get; }

    /// <summary>Gets the exact real architecture for NVRTC, e.g. "sm_90": compiling for it yields a CUBIN that loads without PTX JIT.</summary>
    public string Architecture => $"sm_{ComputeCapabilityMajor}{ComputeCapabilityMinor}";

    /// <summary>Gets the shared memory a block may use without opting in (48 KB on every current GPU).</summary>
    public int MaxSharedMemoryPerBlock { get; }

    /// <summary>Gets the shared memory a block may use after opting in through <c>CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES</c>.</summary>
    public int MaxSharedMemoryPerBlockOptin { get; }

    /// <summary>Gets the shared memory available per multiprocessor.</summary>
    public int MaxSharedMemoryPerMultiprocessor { get; }

    /// <summary>Gets the L2 cache size in bytes.</summary>
    public int L2CacheBytes { get; }

    /// <summary>Gets the total device memory in bytes.</summary>
    public long TotalMemoryBytes { get; }

    /// <summary>Gets the most threads a block may have.</summary>
    public int MaxThreadsPerBlock { get; }

    /// <summary>Gets the warp size in threads.</summary>
    public int WarpSize { get; }

    /// <summary>Gets the peak SM clock in kilohertz.</summary>
    public int ClockRateKilohertz { get; }

    /// <summary>Gets the retained primary context.</summary>
    internal nint Context { get; }

    /// <summary>
    /// Gets the library's stream-ordered memory pool on this device, created with the device (or on first use if that
    /// failed). Unlike the device's default pool, which returns freed memory to the driver at every synchronization,
    /// it keeps what it has (release threshold UINT64_MAX), so per-call scratch such as split-KV partials costs no new
    /// mapping after warm-up; and it leaves the default pool, which other libraries in the process may use, as it is.
    /// </summary>
    internal nint ScratchPool
    {
        get
        {
            if (_scratchPool == 0)
            {
                lock (s_lock)
                {
                    if (_scratchPool == 0)
                    {
                        _scratchPool = CreateScratchPool();
                    }
                }
            }

            return _scratchPool;
        }
    }

    private nint CreateScratchPool()
    {
        CudaException.ThrowIfFailed(TryCreateScratchPool(out nint pool), "cuMemPoolCreate");
        return pool;
    }

    private unsafe int TryCreateScratchPool(out nint pool)
    {
        pool = 0;
        int result = CudaDriverApi.cuCtxSetCurrent(Context);
        if (result != CudaDriverApi.Success)
        {
            return result;
        }

        var properties = new CudaMemoryPoolProperties
        {
            AllocationType = CudaMemoryPoolProperties.AllocationTypePinned,
            LocationType = CudaMemoryPoolProperties.LocationTypeDevice,
            LocationId = _deviceHandle,
        };
        nint created;
        result = CudaDriverApi.cuMemPoolCreate(&created, &properties);
        if (result != CudaDriverApi.Success)
        {
            return result;
        }

        const int ReleaseThresholdAttribute = 4;
        ulong keepEverything = ulong.MaxValue;
        result = CudaDriverApi.cuMemPoolSetAttribute(created, ReleaseThresholdAttribute, &keepEverything);
        if (result != CudaDriverApi.Success)
        {
            CudaDriverApi.cuMemPoolDestroy(created);
            return result;
        }

        pool = created;
        return CudaDriverApi.Success;
    }

    /// <summary>Gets the device with the given ordinal, retaining its primary context on first use.</summary>
    /// <param name="ordinal">A device ordinal in [0, <see cref="Cuda.DeviceCount"/>).</param>
    /// <returns>The same instance for every call with this ordinal.</returns>
    /// <exception cref="InvalidOperationException">CUDA is not available; the message says why.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ordinal"/> names no device.</exception>
    public static CudaDevice Get(int ordinal)
    {
        Cuda.EnsureDriver();
        int count = Cuda.DeviceCount;
        if ((uint)ordinal >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"Expected a device ordinal in [0, {count}); actual {ordinal}.");
        }

        lock (s_lock)
        {
            s_devices ??= new CudaDevice?[count];
            return s_devices[ordinal] ??= new CudaDevice(ordinal);
        }
    }

    /// <summary>Gets the device with the given ordinal, or false when CUDA is unavailable (see <see cref="Cuda.DriverUnavailableReason"/>) or no such device exists.</summary>
    /// <param name="ordinal">A device ordinal.</param>
    /// <param name="device">The device, or null.</param>
    /// <returns>True when <paramref name="device"/> is set.</returns>
    public static bool TryGet(int ordinal, [NotNullWhen(true)] out CudaDevice? device)
    {
        device = Cuda.IsDriverAvailable && (uint)ordinal < (uint)Cuda.DeviceCount ? Get(ordinal) : null;
        return device is not null;
    }

    /// <summary>Makes this device's primary context current on the calling thread.</summary>
    public void MakeCurrent() => CudaException.ThrowIfFailed(CudaDriverApi.cuCtxSetCurrent(Context), "cuCtxSetCurrent");

    /// <summary>Waits until all work on this device's primary context has finished.</summary>
    public void Synchronize()
    {
        MakeCurrent();
        CudaException.ThrowIfFailed(CudaDriverApi.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (device {Ordinal}, {Architecture}, {MultiprocessorCount} SMs)";

    /// <summary>Runs a release call with <paramref name="context"/> current and restores the thread's previous context.</summary>
    internal static unsafe bool ReleaseInContext(nint context, delegate*<nint, int> release, nint handle)
    {
        if (CudaDriverApi.cuCtxPushCurrent_v2(context) != CudaDriverApi.Success)
        {
            return false;
        }

        int result = release(handle);
        nint popped;
        CudaDriverApi.cuCtxPopCurrent_v2(&popped);
        return result == CudaDriverApi.Success;
    }

    private static unsafe int Attribute(int device, CudaDeviceAttribute attribute)
    {
        int value;
        CudaException.ThrowIfFailed(CudaDriverApi.cuDeviceGetAttribute(&value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }
}
