using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// Every built-in variant's CudaSource, wrapped in a tiny kernel that calls both mods, compiles with NVRTC for
/// compute_80; a spec error in the CUDA is reported at the spec's C# line.
/// </summary>
[Trait("Category", "Nvrtc")]
public sealed class CudaSourceTests
{
    private const string Probe = """

        #line 1 "probe.cu"
        extern "C" __global__ void probe(float* scores, int batch, int head, int seqQ, int seqKV, na_captures captures)
        {
            int q = blockIdx.x * blockDim.x + threadIdx.x;
            if (q >= seqQ) return;
            int position = q + seqKV - seqQ;
            for (int kv = 0; kv < seqKV; ++kv)
            {
                float* score = scores + (size_t)q * seqKV + kv;
                *score = na_mask_mod(batch, head, position, kv, captures)
                    ? na_score_mod(*score, batch, head, position, kv, captures)
                    : -__int_as_float(0x7f800000);
            }
        #if NA_HAS_SCORE_MOD + NA_HAS_MASK_MOD == 0
            scores[0] = 0.0f;
        #endif
        }
        """;

    public static TheoryData<string> Variants => new(BuiltIn.Keys);

    private static Dictionary<string, AttentionVariantDescriptor> BuiltIn { get; } = new()
    {
        ["Dense"] = Dense.Descriptor,
        ["Causal"] = Causal.Descriptor,
        ["SlidingWindow"] = SlidingWindow.Descriptor,
        ["Alibi"] = Alibi.Descriptor,
        ["RelativePositionBias"] = RelativePositionBias.Descriptor,
        ["SoftCap"] = SoftCap.Descriptor,
        ["AttentionSinks"] = AttentionSinks.Descriptor,
        ["PrefixLM"] = PrefixLM.Descriptor,
        ["DocumentMask"] = DocumentMask.Descriptor,
        ["LocalWindow2D"] = LocalWindow2D.Descriptor,
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void BuiltInCudaSourceCompiles(string name)
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        AttentionVariantDescriptor descriptor = BuiltIn[name];

        NvrtcCompilation compilation = NvrtcCompiler.Compile(descriptor.CudaSource + Probe, name + ".cu", "compute_80", ["-std=c++17"]);

        string ptx = Encoding.UTF8.GetString(compilation.Image);
        Assert.Contains(".entry probe(", ptx, StringComparison.Ordinal);
        Assert.Contains($"#define NA_HAS_SCORE_MOD {(descriptor.HasScoreMod ? 1 : 0)}", descriptor.CudaSource, StringComparison.Ordinal);
        Assert.Contains($"#define NA_HAS_MASK_MOD {(descriptor.HasMaskMod ? 1 : 0)}", descriptor.CudaSource, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void BuiltInCudaSourceComposesWithTheForwardKernelTemplate(string name)
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        string native = Path.Combine(RepositoryRoot(), "native");

        // The compile unit as native/README.md defines it: common helpers, the spec, the parameter structs, a kernel.
        string unit = string.Join(
            "\n",
            File.ReadAllText(Path.Combine(native, "na_common.cuh")),
            "#line 1 \"" + name + ".mods\"",
            BuiltIn[name].CudaSource,
            "#line 1 \"na_params.cuh\"",
            File.ReadAllText(Path.Combine(native, "na_params.cuh")),
            "#line 1 \"na_flash_forward.cu\"",
            File.ReadAllText(Path.Combine(native, "na_flash_forward.cu")));

        NvrtcCompilation compilation = NvrtcCompiler.Compile(unit, name + ".forward.cu", "compute_80", ["-std=c++17", "-DNA_DTYPE=bf16", "-DNA_HEAD_DIM=64", "-DNA_VALUE_DIM=64"]);

        Assert.Contains(".entry na_flash_forward(", Encoding.UTF8.GetString(compilation.Image), StringComparison.Ordinal);
    }

    [Fact]
    public void SampleCudaSourcesCompile()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        foreach ((string name, string source) in Samples.All)
        {
            string cuda = CudaSourceOf(GeneratorHarness.Run(($"Samples/{name}.cs", source)));
            NvrtcCompiler.Compile(cuda + Probe, name + ".cu", "compute_80", ["-std=c++17"]);
        }
    }

    [Fact]
    public void ACudaErrorPointsAtTheSpecLine()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        string cuda = CudaSourceOf(GeneratorHarness.Run(("Specs/Alibi.cs", Samples.Alibi)));
        string broken = cuda.Replace("(kv <= q)", "(kv <= undefined_name)", StringComparison.Ordinal);
        Assert.NotEqual(cuda, broken);

        var error = Assert.Throws<NvrtcException>(() => NvrtcCompiler.Compile(broken + Probe, "alibi.cu", "compute_80"));

        // The mask is on line 14 of the sample; the #line names the file alone, never the folder it was built from.
        Assert.Contains("Alibi.cs(14)", error.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Specs/", error.Log, StringComparison.Ordinal);
        Assert.Contains("undefined_name", error.Log, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NativeAttention.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NativeAttention.sln above {AppContext.BaseDirectory}.");
    }

    internal static string CudaSourceOf(GeneratorOutcome outcome)
    {
        string generated = Assert.Single(outcome.Result.GeneratedSources).SourceText.ToString();
        const string Start = "public const string CudaSource = @\"";
        int start = generated.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        int end = generated.IndexOf("\";\n", start, StringComparison.Ordinal);
        return generated[start..end].Replace("\"\"", "\"", StringComparison.Ordinal);
    }
}
