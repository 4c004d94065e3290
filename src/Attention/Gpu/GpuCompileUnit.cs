using System;
using System.Text;

namespace NativeAttention;

/// <summary>
/// One NVRTC compile unit: na_common.cuh, a spec's CudaSource, na_params.cuh and the template's kernel files, concatenated with
/// no <c>#include</c>, plus the <c>NA_DTYPE</c>, <c>NA_HEAD_DIM</c> and <c>NA_VALUE_DIM</c> defines.
/// </summary>
internal sealed class GpuCompileUnit
{
    /// <summary>The head and value dims the kernels take natively.</summary>
    public static readonly int[] NativeDims = [64, 128, 256];

    /// <summary>Assembles a unit.</summary>
    /// <param name="template">The template whose kernel files end the unit.</param>
    /// <param name="cudaSource">The spec's CudaSource.</param>
    /// <param name="dataType">The element type.</param>
    /// <param name="headDim">64, 128 or 256.</param>
    /// <param name="valueDim">64, 128 or 256.</param>
    /// <param name="oneWarpTile">
    /// Whether a forward unit gives each warp one 16-row tile instead of the template's default of two: the fallback
    /// for a spec whose mods are too heavy for two tiles' registers.
    /// </param>
    public GpuCompileUnit(
        GpuKernelTemplate template, string cudaSource, GpuDataType dataType, int headDim, int valueDim, bool oneWarpTile = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(cudaSource);
        RequireNativeDim(headDim, nameof(headDim));
        RequireNativeDim(valueDim, nameof(valueDim));
        Template = template;
        DataType = dataType;
        HeadDim = headDim;
        ValueDim = valueDim;
        string[] kernelFiles = GpuKernelSources.KernelFiles(template);
        var source = new StringBuilder()
            .Append("#line 1 \"").Append(GpuKernelSources.CommonFile).Append("\"\n")
            .Append(GpuKernelSources.Read(GpuKernelSources.CommonFile)).Append('\n')
            .Append(cudaSource).Append('\n')
            .Append("#line 1 \"").Append(GpuKernelSources.ParamsFile).Append("\"\n")
            .Append(GpuKernelSources.Read(GpuKernelSources.ParamsFile)).Append('\n');
        foreach (string kernelFile in kernelFiles)
        {
            source.Append("#line 1 \"").Append(kernelFile).Append("\"\n").Append(GpuKernelSources.Read(kernelFile)).Append('\n');
        }

        Source = source.ToString();
        string[] options =
        [
            "-std=c++17",
            "-DNA_DTYPE=" + dataType.Define(),
            "-DNA_HEAD_DIM=" + DimText(headDim),
            "-DNA_VALUE_DIM=" + DimText(valueDim),
        ];
        Options = oneWarpTile ? [.. options, "-DNA_FWD_WARP_TILES=1"] : options;
        ProgramName = kernelFiles[0][..^3] + "_" + dataType.Define() + "_" + DimText(headDim) + "_" + DimText(valueDim) + ".cu";
    }

    /// <summary>Gets the template whose kernel files end the unit.</summary>
    public GpuKernelTemplate Template { get; }

    /// <summary>Gets the element type.</summary>
    public GpuDataType DataType { get; }

    /// <summary>Gets the head dim the unit is compiled for.</summary>
    public int HeadDim { get; }

    /// <summary>Gets the value dim the unit is compiled for.</summary>
    public int ValueDim { get; }

    /// <summary>Gets the concatenated source.</summary>
    public string Source { get; }

    /// <summary>Gets the NVRTC options (defines and language level; the architecture is separate).</summary>
    public string[] Options { get; }

    /// <summary>Gets the name NVRTC shows in diagnostics.</summary>
    public string ProgramName { get; }

    /// <summary>Compiles the unit through <paramref name="cache"/>.</summary>
    /// <param name="cache">The kernel cache.</param>
    /// <param name="arch">The target, e.g. "sm_90a" (CUBIN) or "compute_80" (PTX).</param>
    /// <returns>The image.</returns>
    public NvrtcCompilation Compile(KernelCache cache, string arch)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache.GetOrCompile(Source, ProgramName, arch, Options);
    }

    /// <summary>Returns the smallest native dim at least <paramref name="dim"/>, or 0 when it exceeds 256.</summary>
    public static int PaddedDim(int dim)
    {
        foreach (int native in NativeDims)
        {
            if (dim <= native)
            {
                return native;
            }
        }

        return 0;
    }

    // Constant text for the three native dims: formatting an int through a culture costs milliseconds on a
    // process's first kernel call.
    private static string DimText(int dim) => dim switch
    {
        64 => "64",
        128 => "128",
        _ => "256",
    };

    private static void RequireNativeDim(int dim, string name)
    {
        if (dim is not (64 or 128 or 256))
        {
            throw new ArgumentOutOfRangeException(name, dim, $"Expected a native kernel dim of 64, 128 or 256; actual {dim}.");
        }
    }
}
