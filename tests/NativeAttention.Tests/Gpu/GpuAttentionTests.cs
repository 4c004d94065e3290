using System;
using System.Linq;
using System.Numerics.Tensors;
using System.Text;
using Xunit;

namespace NativeAttention.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class GpuAttentionTests(GpuAttentionWarmup warmup) : IClassFixture<GpuAttentionWarmup>
{
    private readonly GpuAttentionWarmup _warmup = warmup;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (GpuVariantCase variant in GpuVariantCases.All)
        {
            foreach (GpuTestCase shape in GpuTestCase.All)
            {
                data.Add(variant.Name, shape.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryBuiltInVariantMatchesTheFloat64Reference(string variant, string shape)
    {
        CudaDevice device = RequireDevice();
        Assert.NotNull(_warmup);
        GpuVariantCase variantCase = GpuVariantCases.Named(variant);
        GpuTestCase testCase = GpuTestCase.All.Single(c => c.Name == shape);

        if (testCase.BFloat16)
        {
            Check<BFloat16>(device, variantCase, testCase, Seed(variant + "/" + shape));
        }
        else
        {
            Check<Half>(device, variantCase, testCase, Seed(variant + "/" + shape));
        }
    }

    [Fact]
    public void AMaskWithoutSpanCapturesBuildsItsTileMapOnceAndReusesIt()
    {
        CudaDevice device = RequireDevice();
        GpuVariantCase sliding = GpuVariantCases.Named(nameof(SlidingWindow));
        var shape = new GpuTestCase("sliding-cache", 1, 2, 1, 301, 733, 64, 64, true);

        int before = GpuTileMaps.CachedCount;
        Check<BFloat16>(device, sliding, shape, 11);
        int afterFirst = GpuTileMaps.CachedCount;
        Check<BFloat16>(device, sliding, shape, 12);

        Assert.Equal(before + 1, afterFirst);
        Assert.Equal(afterFirst, GpuTileMaps.CachedCount);
    }

    [Fact]
    public void AMaskReadingASpanCaptureRebuildsItsTileMapEveryCall()
    {
        CudaDevice device = RequireDevice();
        GpuVariantCase documents = GpuVariantCases.Named(nameof(DocumentMask));
        var shape = new GpuTestCase("documents-per-call", 1, 2, 2, 257, 257, 128, 128, false);

        int before = GpuTileMaps.CachedCount;
        Check<Half>(device, documents, shape, 21);
        Check<Half>(device, documents, shape, 22);

        Assert.Equal(before, GpuTileMaps.CachedCount);
    }

    internal static CudaDevice RequireDevice()
    {
        Assert.SkipUnless(Cuda.IsAvailable, Cuda.UnavailableReason ?? string.Empty);
        return CudaDevice.Get(0);
    }

    private static void Check<T>(CudaDevice device, GpuVariantCase variant, GpuTestCase shape, int seed)
        where T : unmanaged
    {
        var random = new Random(seed);
        (T[] query, float[] queryValues) = GpuTestElements.Random<T>(random, (long)shape.Batch * shape.Heads * shape.SeqQ * shape.HeadDim);
        (T[] key, float[] keyValues) = GpuTestElements.Random<T>(random, (long)shape.Batch * shape.KvHeads * shape.SeqKV * shape.HeadDim);
        (T[] value, float[] valueValues) = GpuTestElements.Random<T>(random, (long)shape.Batch * shape.KvHeads * shape.SeqKV * shape.ValueDim);
        using GpuTestCaptures captures = variant.CreateCaptures(shape, random);
        captures.Upload(device);

        using var stream = new CudaStream(device);
        using var queryTensor = GpuTestTensor<T>.Upload(device, query, shape.Batch, shape.Heads, shape.SeqQ, shape.HeadDim, shape.Bshd);
        using var keyTensor = GpuTestTensor<T>.Upload(device, key, shape.Batch, shape.KvHeads, shape.SeqKV, shape.HeadDim, shape.Bshd);
        using var valueTensor = GpuTestTensor<T>.Upload(device, value, shape.Batch, shape.KvHeads, shape.SeqKV, shape.ValueDim, shape.Bshd);
        T[] poison = Enumerable.Repeat(GpuTestElements.FromFloat<T>(float.NaN), (int)(shape.QueryRows * shape.ValueDim)).ToArray();
        using var outputTensor = GpuTestTensor<T>.Upload(device, poison, shape.Batch, shape.Heads, shape.SeqQ, shape.ValueDim, shape.Bshd);
        using DeviceBuffer<float>? logSumExp = shape.WithLogSumExp ? new DeviceBuffer<float>(device, shape.QueryRows) : null;
        logSumExp?.CopyFrom(Enumerable.Repeat(float.NaN, (int)shape.QueryRows).ToArray());

        if (typeof(T) == typeof(Half))
        {
            variant.Forward(
                (DeviceTensor<Half>)(object)queryTensor.Tensor, (DeviceTensor<Half>)(object)keyTensor.Tensor, (DeviceTensor<Half>)(object)valueTensor.Tensor,
                (DeviceTensor<Half>)(object)outputTensor.Tensor, captures, new AttentionOptions { DeviceLogSumExp = logSumExp }, stream);
        }
        else
        {
            variant.Forward(
                (DeviceTensor<BFloat16>)(object)queryTensor.Tensor, (DeviceTensor<BFloat16>)(object)keyTensor.Tensor, (DeviceTensor<BFloat16>)(object)valueTensor.Tensor,
                (DeviceTensor<BFloat16>)(object)outputTensor.Tensor, captures, new AttentionOptions { DeviceLogSumExp = logSumExp }, stream);
        }

        stream.Synchronize();
        T[] output = new T[shape.QueryRows * shape.ValueDim];
        outputTensor.Tensor.CopyTo(new TensorSpan<T>(output, [shape.Batch, shape.Heads, shape.SeqQ, shape.ValueDim]));
        float[] gpuLogSumExp = new float[shape.QueryRows];
        logSumExp?.CopyTo(gpuLogSumExp);

        float[] expected = new float[output.Length];
        float[] expectedLogSumExp = new float[shape.QueryRows];
        variant.Reference(shape, captures, queryValues, keyValues, valueValues, expected, expectedLogSumExp);

        bool bf16 = typeof(T) == typeof(BFloat16);
        CompareOutput(variant.Name, shape, output, expected, bf16 ? 1.5e-2 : 3e-3, bf16 ? 1e-2 : 3e-3);
        if (shape.WithLogSumExp)
        {
            CompareLogSumExp(variant.Name, shape, gpuLogSumExp, expectedLogSumExp);
        }
    }

    private static void CompareOutput<T>(string variant, GpuTestCase shape, T[] actual, float[] expected, double absolute, double relative)
        where T : unmanaged
    {
        int failures = 0;
        var report = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double got = GpuTestElements.ToFloat(actual[i]);
            double error = Math.Abs(got - expected[i]);
            worst = double.IsNaN(error) ? double.NaN : Math.Max(worst, error);
            if (!(error <= absolute + (relative * Math.Abs(expected[i]))))
            {
                if (failures++ < 8)
                {
                    long row = i / shape.ValueDim;
                    report.Append($"\n  row {row} (b{row / shape.SeqQ / shape.Heads} h{row / shape.SeqQ % shape.Heads} q{row % shape.SeqQ}) d{i % shape.ValueDim}: gpu {got}, reference {expected[i]}");
                }
            }
        }

        Assert.True(failures == 0, $"{variant} {shape.Name}: {failures} of {actual.Length} outputs off (worst {worst}, tolerance {absolute} + {relative}·|ref|):{report}");
    }

    private static void CompareLogSumExp(string variant, GpuTestCase shape, float[] actual, float[] expected)
    {
        int failures = 0;
        var report = new StringBuilder();
        for (int i = 0; i < actual.Length; i++)
        {
            bool ok = float.IsNegativeInfinity(expected[i])
                ? float.IsNegativeInfinity(actual[i])
                : Math.Abs((double)actual[i] - expected[i]) <= 5e-3 + (1e-3 * Math.Abs(expected[i]));
            if (!ok && failures++ < 8)
            {
                report.Append($"\n  row {i}: gpu {actual[i]}, reference {expected[i]}");
            }
        }

        Assert.True(failures == 0, $"{variant} {shape.Name}: {failures} of {actual.Length} log-sum-exp values off:{report}");
    }

    private static int Seed(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash & 0x7fffffff);
    }
}
