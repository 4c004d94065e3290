using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace NativeAttention.Tests.Gpu;

[Trait("Category", "Nvrtc")]
public sealed class GpuCompileUnitTests
{
    private static readonly GpuKernelTemplate[] s_templates = Enum.GetValues<GpuKernelTemplate>();
    private static readonly (int Head, int Value)[] s_dims = [(64, 64), (128, 128), (256, 256), (64, 128), (256, 128), (128, 64)];

    /// <summary>
    /// Every template × every built-in variant; the element type and dims rotate over the pairs so that each dtype,
    /// each native head dim and value dims differing from the head dim are all compiled too.
    /// </summary>
    public static TheoryData<string, string, string, int, int> Units()
    {
        var data = new TheoryData<string, string, string, int, int>();
        int index = 0;
        foreach (GpuKernelTemplate template in s_templates)
        {
            foreach (AttentionVariantDescriptor variant in BuiltInVariants.All)
            {
                GpuDataType type = index % 2 == 0 ? GpuDataType.BFloat16 : GpuDataType.Float16;
                (int head, int value) = s_dims[index / 2 % s_dims.Length];
                data.Add(template.ToString(), variant.Name, type.ToString(), head, value);
                index++;
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void EveryTemplateCompilesWithEveryBuiltInVariant(string template, string variant, string dataType, int headDim, int valueDim)
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        var unit = new GpuCompileUnit(
            Enum.Parse<GpuKernelTemplate>(template), BuiltInVariants.Named(variant).CudaSource, Enum.Parse<GpuDataType>(dataType), headDim, valueDim);

        NvrtcCompilation compilation = unit.Compile(MemoryCache(), "compute_80");

        string ptx = Encoding.UTF8.GetString(compilation.Image);
        foreach ((string kernel, string config, int length) in Exports(unit.Template))
        {
            Assert.Contains($".entry {kernel}(", ptx, StringComparison.Ordinal);
            Assert.Matches(new Regex($@"\.const \.align 4 \.b8 {config}\[{length * 4}\]"), ptx);
        }
    }

    [Fact]
    public void EveryDtypeAndNativeDimOfTheForwardCompiles()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        KernelCache cache = MemoryCache();
        AttentionVariantDescriptor[] variants = [Alibi.Descriptor, Causal.Descriptor];
        var units = (from variant in variants
                     from type in Enum.GetValues<GpuDataType>()
                     from dim in GpuCompileUnit.NativeDims
                     select new GpuCompileUnit(GpuKernelTemplate.FlashForward, variant.CudaSource, type, dim, dim)).ToArray();

        NvrtcCompilation[] compiled = units.AsParallel().Select(unit => unit.Compile(cache, "compute_80")).ToArray();

        Assert.Equal(units.Length, cache.CompileCount);
        Assert.All(compiled, c => Assert.Contains(".entry na_flash_forward(", Encoding.UTF8.GetString(c.Image), StringComparison.Ordinal));
    }

    [Fact]
    public void AUnitPlacesThePiecesInContractOrderWithItsDefines()
    {
        var unit = new GpuCompileUnit(GpuKernelTemplate.Decode, Causal.CudaSource, GpuDataType.Float16, 128, 64);

        int common = unit.Source.IndexOf("#line 1 \"na_common.cuh\"", StringComparison.Ordinal);
        int mods = unit.Source.IndexOf(Causal.CudaSource, StringComparison.Ordinal);
        int parameters = unit.Source.IndexOf("#line 1 \"na_params.cuh\"", StringComparison.Ordinal);
        int kernel = unit.Source.IndexOf("#line 1 \"na_decode.cu\"", StringComparison.Ordinal);
        Assert.Equal(0, common);
        Assert.True(common < mods && mods < parameters && parameters < kernel, $"order {common}, {mods}, {parameters}, {kernel}");
        Assert.Contains("struct na_forward_params", unit.Source, StringComparison.Ordinal);
        Assert.Contains("na_decode_split", unit.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("#include", unit.Source, StringComparison.Ordinal);
        Assert.Equal(["-std=c++17", "-DNA_DTYPE=fp16", "-DNA_HEAD_DIM=128", "-DNA_VALUE_DIM=64"], unit.Options);
        Assert.Equal("na_decode_fp16_128_64.cu", unit.ProgramName);
    }

    [Fact]
    public void AForwardUnitCarriesTheTileClassifierAfterTheForwardKernel()
    {
        var unit = new GpuCompileUnit(GpuKernelTemplate.FlashForward, Causal.CudaSource, GpuDataType.BFloat16, 128, 128);

        int forward = unit.Source.IndexOf("#line 1 \"na_flash_forward.cu\"", StringComparison.Ordinal);
        int classify = unit.Source.IndexOf("#line 1 \"na_classify_tiles.cu\"", StringComparison.Ordinal);
        Assert.True(forward > 0 && classify > forward, $"order {forward}, {classify}");
        Assert.Equal("na_flash_forward_bf16_128_128.cu", unit.ProgramName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(96)]
    [InlineData(512)]
    public void AUnitRejectsDimsTheKernelsDoNotTake(int dim)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new GpuCompileUnit(GpuKernelTemplate.FlashForward, Causal.CudaSource, GpuDataType.BFloat16, dim, 64));

        Assert.Equal("headDim", error.ParamName);
        Assert.Contains("64, 128 or 256", error.Message, StringComparison.Ordinal);
    }

    private static KernelCache MemoryCache() =>
        new(null, "nvrtc-" + NvrtcCompiler.Version, (source, name, arch, options) => NvrtcCompiler.Compile(source, name, arch, options));

    private static IEnumerable<(string Kernel, string Config, int Length)> Exports(GpuKernelTemplate template) => template switch
    {
        GpuKernelTemplate.FlashForward => [("na_flash_forward", "na_forward_config", 4), ("na_classify_tiles", "na_classify_config", 1)],
        _ => [("na_decode_split", "na_decode_config", 5), ("na_decode_combine", "na_combine_config", 1)],
    };
}
