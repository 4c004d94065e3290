using System;
using System.Threading;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>
/// A kernel (<c>cuModuleGetFunction</c>) with its compiled resource use, launched with <see cref="KernelArguments"/>.
/// </summary>
public sealed unsafe class CudaKernel
{
    private readonly nint _function;
    private readonly Lock _sharedMemoryLock = new();
    private volatile int _dynamicSharedLimit;

    internal CudaKernel(CudaModule module, string name, nint function)
    {
        Module = module;
        Name = name;
        _function = function;
        RegisterCount = Attribute(CudaFunctionAttribute.NumRegisters);
        LocalBytesPerThread = Attribute(CudaFunctionAttribute.LocalSizeBytes);
        StaticSharedBytes = Attribute(CudaFunctionAttribute.SharedSizeBytes);
        ConstantBytes = Attribute(CudaFunctionAttribute.ConstSizeBytes);
        MaxThreadsPerBlock = Attribute(CudaFunctionAttribute.MaxThreadsPerBlock);
        PtxVersion = Attribute(CudaFunctionAttribute.PtxVersion);
        BinaryVersion = Attribute(CudaFunctionAttribute.BinaryVersion);
        _dynamicSharedLimit = module.Device.MaxSharedMemoryPerBlock - StaticSharedBytes;
    }

    /// <summary>Gets the module the kernel lives in.</summary>
    public CudaModule Module { get; }

    /// <summary>Gets the kernel's symbol name.</summary>
    public string Name { get; }

    /// <summary>Gets the registers each thread uses.</summary>
    public int RegisterCount { get; }

    /// <summary>Gets the local memory per thread in bytes; non-zero usually means register spills (or local arrays).</summary>
    public int LocalBytesPerThread { get; }

    /// <summary>Gets the statically declared shared memory per block in bytes.</summary>
    public int StaticSharedBytes { get; }

    /// <summary>Gets the constant memory the kernel uses in bytes.</summary>
    public int ConstantBytes { get; }

    /// <summary>Gets the most threads per block this kernel can launch with (limited by its registers).</summary>
    public int MaxThreadsPerBlock { get; }

    /// <summary>Gets the PTX virtual architecture the kernel was compiled for, times 10 (e.g. 80 for compute_80).</summary>
    public int PtxVersion { get; }

    /// <summary>Gets the binary architecture of the loaded code, times 10 (e.g. 90 for sm_90).</summary>
    public int BinaryVersion { get; }

    /// <summary>
    /// Queues the kernel on <paramref name="stream"/>. Nothing is synchronized; errors of the kernel itself surface at
    /// the next synchronizing call. Dynamic shared memory above the 48 KB default opts in once per kernel.
    /// </summary>
    /// <param name="grid">The grid size in blocks.</param>
    /// <param name="block">The block size in threads.</param>
    /// <param name="dynamicSharedBytes">The dynamic shared memory per block in bytes.</param>
    /// <param name="stream">The stream; null for the legacy default stream.</param>
    /// <param name="arguments">The kernel's arguments in parameter order.</param>
    public void Launch(Dim3 grid, Dim3 block, int dynamicSharedBytes, CudaStream? stream, scoped in KernelArguments arguments)
    {
        if (grid.Volume == 0 || block.Volume == 0)
        {
            throw new ArgumentException($"Expected grid and block sizes of at least 1; actual grid ({grid.X}, {grid.Y}, {grid.Z}), block ({block.X}, {block.Y}, {block.Z}).", nameof(grid));
        }

        if (block.Volume > MaxThreadsPerBlock)
        {
            throw new ArgumentOutOfRangeException(
                nameof(block), block.Volume, $"Expected at most {MaxThreadsPerBlock} threads per block for kernel '{Name}'; actual {block.Volume}.");
        }

        if (dynamicSharedBytes > _dynamicSharedLimit)
        {
            OptInToDynamicSharedMemory(dynamicSharedBytes);
        }
        else if (dynamicSharedBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dynamicSharedBytes), dynamicSharedBytes, $"Expected a non-negative byte count; actual {dynamicSharedBytes}.");
        }

        _ = Module.Handle;
        int count = arguments.Count;
        void** pointers = stackalloc void*[count == 0 ? 1 : count];
        arguments.WriteAddresses(pointers);
        Module.Device.MakeCurrent();
        CudaException.ThrowIfFailed(
            CudaDriverApi.cuLaunchKernel(
                _function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z,
                (uint)dynamicSharedBytes, CudaStream.HandleOf(stream), pointers, null),
            "cuLaunchKernel");
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {RegisterCount} registers, {LocalBytesPerThread} B local (spills), {StaticSharedBytes} B static shared, sm_{BinaryVersion}";

    private void OptInToDynamicSharedMemory(int bytes)
    {
        int ceiling = Module.Device.MaxSharedMemoryPerBlockOptin - StaticSharedBytes;
        if (bytes > ceiling)
        {
            throw new ArgumentOutOfRangeException(
                "dynamicSharedBytes", bytes,
                $"Expected at most {ceiling} bytes of dynamic shared memory for kernel '{Name}' on {Module.Device.Name} "
                + $"({Module.Device.MaxSharedMemoryPerBlockOptin} opt-in limit minus {StaticSharedBytes} static); actual {bytes}.");
        }

        lock (_sharedMemoryLock)
        {
            if (bytes <= _dynamicSharedLimit)
            {
                return;
            }

            Module.Device.MakeCurrent();
            CudaException.ThrowIfFailed(
                CudaDriverApi.cuFuncSetAttribute(_function, CudaFunctionAttribute.MaxDynamicSharedSizeBytes, ceiling), "cuFuncSetAttribute");
            _dynamicSharedLimit = ceiling;
        }
    }

    private int Attribute(CudaFunctionAttribute attribute)
    {
        int value;
        CudaException.ThrowIfFailed(CudaDriverApi.cuFuncGetAttribute(&value, attribute, _function), "cuFuncGetAttribute");
        return value;
    }
}
