using System;
using System.Collections.Concurrent;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// Loaded compile units, one per <see cref="GpuModuleKey"/> and process: concurrent first calls compile and load
/// once (the compiled image itself also goes through <see cref="KernelCache.Default"/>, in memory and on disk).
/// </summary>
internal static class GpuModuleCache
{
    private static readonly ConcurrentDictionary<GpuModuleKey, Lazy<GpuKernelUnit>> s_units = new();

    /// <summary>Returns the loaded unit of <paramref name="template"/> for a spec, dtype, dims and device.</summary>
    public static GpuKernelUnit Get(
        CudaDevice device, GpuKernelTemplate template, string cudaSource, GpuDataType dataType, int headDim, int valueDim)
    {
        var key = new GpuModuleKey(cudaSource, template, dataType, headDim, valueDim, device.Ordinal);
        Lazy<GpuKernelUnit> entry = s_units.GetOrAdd(
            key,
            k => new Lazy<GpuKernelUnit>(() => Load(device, k), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            s_units.TryRemove(new(key, entry));
            throw;
        }
    }

    private static GpuKernelUnit Load(CudaDevice device, GpuModuleKey key)
    {
        GpuKernelUnit loaded = Load(device, key, oneWarpTile: false);
        // Local memory in a forward kernel means the spec's mods pushed the two-tile layout past the register file;
        // one tile per warp leaves them the registers.
        if (key.Template != GpuKernelTemplate.FlashForward || loaded.Kernel.LocalBytesPerThread == 0)
        {
            return loaded;
        }

        loaded.Dispose();
        return Load(device, key, oneWarpTile: true);
    }

    private static GpuKernelUnit Load(CudaDevice device, GpuModuleKey key, bool oneWarpTile)
    {
        var unit = new GpuCompileUnit(key.Template, key.CudaSource, key.DataType, key.HeadDim, key.ValueDim, oneWarpTile);
        NvrtcCompilation compilation = unit.Compile(KernelCache.Default, GpuArchitecture.Select(device));
        return GpuKernelUnit.Load(device, key.Template, compilation);
    }
}
