using System;
using System.Text;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// Span reads the host proves in range (a bare, never reassigned index parameter) stay plain CUDA indexing; every other
/// read goes through the checked read helper, and only then does <c>na_captures</c> carry the fault word pointer.
/// </summary>
public sealed class CheckedSpanReadTests
{
    [Fact]
    public void BareIndexReadsStayDirectAndAddNoFaultWord()
    {
        string generated = Generate("Alibi", Samples.Alibi);
        string cuda = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run(("Samples/Alibi.cs", Samples.Alibi)));

        Assert.Contains("na_c.slopes[head]", cuda, StringComparison.Ordinal);
        Assert.DoesNotContain("na_span_read", cuda, StringComparison.Ordinal);
        Assert.DoesNotContain("na_fault", cuda, StringComparison.Ordinal);
        Assert.DoesNotContain("WriteCaptureFault", generated, StringComparison.Ordinal);
        Assert.Contains("capturesSize: 16,", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputedAndReassignedIndexReadsGoThroughTheCheckedHelper()
    {
        string cuda = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run(("Samples/Buckets.cs", Samples.Buckets)));

        // Captures in Forward order: bias (tag 1), gain, shift (tag 3); the tag is the ordinal plus one.
        Assert.Contains("na_span_read_float(na_c.bias, na_c.bias_length, ((kv - q) + na_c.shift[head]), na_c.na_fault, 1u)", cuda, StringComparison.Ordinal);
        Assert.Contains("na_c.bias[kv]", cuda, StringComparison.Ordinal);
        Assert.Contains("na_c.shift[batch]", cuda, StringComparison.Ordinal);
        Assert.Contains("na_span_read_int(na_c.shift, na_c.shift_length, q, na_c.na_fault, 3u)", cuda, StringComparison.Ordinal);
        Assert.Contains("    unsigned long long* na_fault;\n};\n", cuda, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(cuda, "__device__ __forceinline__ float na_span_read_float("));
        Assert.Equal(1, Occurrences(cuda, "__device__ __forceinline__ int na_span_read_int("));
    }

    [Fact]
    public void TheFaultWordFollowsTheCapturesAndTheGpuForwardWritesIt()
    {
        string generated = Generate("Buckets", Samples.Buckets);

        // bias: pointer 0, length 8; gain 12; shift: pointer 16, length 24; the fault pointer at the next 8-byte boundary.
        Assert.Contains("capturesSize: 40,", generated, StringComparison.Ordinal);
        Assert.Equal(2, Occurrences(generated, "__na_writer.WriteCaptureFault(32, query);"));
    }

    [Fact]
    [Trait("Category", "Nvrtc")]
    public void EachCheckedReadCompilesToOneAtomicCas()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        string cuda = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run(("Samples/Buckets.cs", Samples.Buckets)));
        const string Kernel = """

            extern "C" __global__ void probe(float* scores, int q, int kv, na_captures captures)
            {
                scores[0] = na_mask_mod(0, 0, q, kv, captures) ? na_score_mod(scores[0], 0, 0, q, kv, captures) : 0.0f;
            }
            """;

        NvrtcCompilation compilation = NvrtcCompiler.Compile(cuda + Kernel, "buckets.cu", "compute_80", ["-std=c++17"]);

        string ptx = Encoding.UTF8.GetString(compilation.Image);
        Assert.Contains(".entry probe(", ptx, StringComparison.Ordinal);
        Assert.Equal(2, Occurrences(ptx, "atom.global.cas.b64"));
    }

    [Fact]
    public void RelativePositionBiasChecksItsBucketRead()
    {
        string cuda = RelativePositionBias.Descriptor.CudaSource;

        Assert.Contains("na_span_read_float(na_c.bias, na_c.bias_length,", cuda, StringComparison.Ordinal);
        Assert.Contains("unsigned long long* na_fault;", cuda, StringComparison.Ordinal);
        Assert.Equal(24, RelativePositionBias.Descriptor.CapturesSize);
    }

    private static string Generate(string name, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(($"Samples/{name}.cs", source));
        Assert.Empty(outcome.Diagnostics);
        return Assert.Single(outcome.Result.GeneratedSources).SourceText.ToString();
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
