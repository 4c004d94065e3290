using System;

namespace NativeAttention;

/// <summary>
/// A loaded compile unit: its kernels and the configuration arrays it exports (tile sizes, threads, shared memory),
/// read once with <c>cuModuleGetGlobal</c> so the host never hard-codes them.
/// </summary>
internal sealed class GpuKernelUnit : IDisposable
{
    private GpuKernelUnit(CudaModule module, CudaKernel kernel, int[] config, CudaKernel second, int[] secondConfig)
    {
        Module = module;
        Kernel = kernel;
        Config = config;
        SecondKernel = second;
        SecondConfig = secondConfig;
    }

    /// <summary>Gets the loaded module.</summary>
    public CudaModule Module { get; }

    /// <summary>Gets <c>na_flash_forward</c> or <c>na_decode_split</c>.</summary>
    public CudaKernel Kernel { get; }

    /// <summary>Gets the kernel's exported configuration array.</summary>
    public int[] Config { get; }

    /// <summary>Gets <c>na_classify_tiles</c> of a forward unit or <c>na_decode_combine</c> of a decode unit.</summary>
    public CudaKernel SecondKernel { get; }

    /// <summary>Gets <c>na_classify_config</c> or <c>na_combine_config</c>.</summary>
    public int[] SecondConfig { get; }

    /// <summary>Loads a compiled unit of <paramref name="template"/> on <paramref name="device"/>.</summary>
    public static GpuKernelUnit Load(CudaDevice device, GpuKernelTemplate template, NvrtcCompilation compilation)
    {
        CudaModule module = CudaModule.Load(device, compilation);
        try
        {
            return template switch
            {
                GpuKernelTemplate.FlashForward => new GpuKernelUnit(
                    module,
                    module.GetKernel("na_flash_forward"),
                    ReadConfig(module, "na_forward_config", 4),
                    module.GetKernel("na_classify_tiles"),
                    ReadConfig(module, "na_classify_config", 1)),
                GpuKernelTemplate.Decode => new GpuKernelUnit(
                    module,
                    module.GetKernel("na_decode_split"),
                    ReadConfig(module, "na_decode_config", 5),
                    module.GetKernel("na_decode_combine"),
                    ReadConfig(module, "na_combine_config", 1)),
                _ => throw new ArgumentOutOfRangeException(nameof(template), template, "Expected a defined GpuKernelTemplate."),
            };
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Unloads the module; the cache's units live for the process and are never disposed.</summary>
    public void Dispose() => Module.Dispose();

    private static int[] ReadConfig(CudaModule module, string name, int length)
    {
        int[] config = new int[length];
        module.CopyGlobalTo<int>(name, config);
        return config;
    }
}
