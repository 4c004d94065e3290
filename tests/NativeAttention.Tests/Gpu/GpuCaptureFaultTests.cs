using System;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Xunit;

namespace NativeAttention.Tests.Gpu;

/// <summary>
/// RelativePositionBias reads its bias at a computed index, which the host cannot check: on the GPU an out-of-range read
/// yields 0 and is reported by <see cref="GpuAttention.ThrowIfCaptureFault"/> after a synchronize, or by the next call.
/// Runs alone: a pending fault is reported by whichever GPU call comes next on the device, another test's included.
/// </summary>
[Trait("Category", "Gpu")]
[CollectionDefinition(nameof(GpuCaptureFaultTests), DisableParallelization = true)]
[Collection(nameof(GpuCaptureFaultTests))]
public sealed partial class GpuCaptureFaultTests
{
    private const int Batch = 1;
    private const int Heads = 4;
    private const int SeqKV = 96;
    private const int Dim = 64;
    private const int MaxDistance = 16;
    private const int BiasPerHead = (2 * MaxDistance) + 1;

    // seqQ 4 runs the split-KV decode kernels, 80 the flash forward.
    [Theory]
    [InlineData(4)]
    [InlineData(80)]
    public void AnOutOfRangeComputedIndexIsReportedAfterTheSyncAndTheNextCallWorks(int seqQ)
    {
        Assert.SkipUnless(Cuda.IsAvailable, Cuda.UnavailableReason ?? string.Empty);
        CudaDevice device = CudaDevice.Get(0);
        GpuAttention.ThrowIfCaptureFault();
        using var problem = new Problem(device, seqQ, new Random(seqQ));
        float[] shortBias = RandomBias(Heads - 2, new Random(1));
        using var shortBiasBuffer = Upload(device, shortBias);

        problem.RunOnGpu(shortBiasBuffer);
        problem.Stream.Synchronize();
        var fault = Assert.Throws<IndexOutOfRangeException>(GpuAttention.ThrowIfCaptureFault);

        // Heads 2 and 3 read past the two rows the bias holds; which thread records first is not fixed.
        Match match = FaultMessage().Match(fault.Message);
        Assert.True(match.Success, fault.Message);
        int index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(index, shortBias.Length, (Heads * BiasPerHead) - 1);
        Assert.Contains(typeof(RelativePositionBias).FullName!, fault.Message, StringComparison.Ordinal);
        Assert.Contains($"outside its {shortBias.Length} elements", fault.Message, StringComparison.Ordinal);
        Assert.Contains("not valid", fault.Message, StringComparison.Ordinal);
        GpuAttention.ThrowIfCaptureFault();

        float[] bias = RandomBias(Heads, new Random(2));
        using var biasBuffer = Upload(device, bias);
        problem.RunOnGpu(biasBuffer);
        problem.Stream.Synchronize();
        GpuAttention.ThrowIfCaptureFault();
        problem.AssertMatchesCpu(bias);
    }

    [Fact]
    public void WithoutASyncTheNextCallOnTheDeviceReportsTheFault()
    {
        Assert.SkipUnless(Cuda.IsAvailable, Cuda.UnavailableReason ?? string.Empty);
        CudaDevice device = CudaDevice.Get(0);
        GpuAttention.ThrowIfCaptureFault();
        using var problem = new Problem(device, 33, new Random(3));
        using var shortBiasBuffer = Upload(device, RandomBias(1, new Random(4)));
        float[] bias = RandomBias(Heads, new Random(5));
        using var biasBuffer = Upload(device, bias);

        problem.RunOnGpu(shortBiasBuffer);
        device.Synchronize();
        var fault = Assert.Throws<IndexOutOfRangeException>(() => problem.RunOnGpu(biasBuffer));
        Assert.Contains("'bias'", fault.Message, StringComparison.Ordinal);

        problem.RunOnGpu(biasBuffer);
        problem.Stream.Synchronize();
        GpuAttention.ThrowIfCaptureFault();
        problem.AssertMatchesCpu(bias);
    }

    [GeneratedRegex(@"read its capture 'bias' at index (?<index>-?\d+),")]
    private static partial Regex FaultMessage();

    private static float[] RandomBias(int heads, Random random)
    {
        float[] bias = new float[heads * BiasPerHead];
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = (float)((random.NextDouble() * 4) - 2);
        }

        return bias;
    }

    private static DeviceBuffer<float> Upload(CudaDevice device, float[] values)
    {
        var buffer = new DeviceBuffer<float>(device, values.Length);
        buffer.CopyFrom(values);
        return buffer;
    }

    /// <summary>Half inputs on the device and the same values as floats for the CPU path.</summary>
    private sealed class Problem : IDisposable
    {
        private readonly int _seqQ;
        private readonly float[] _query;
        private readonly float[] _key;
        private readonly float[] _value;
        private readonly GpuTestTensor<Half> _queryTensor;
        private readonly GpuTestTensor<Half> _keyTensor;
        private readonly GpuTestTensor<Half> _valueTensor;
        private readonly GpuTestTensor<Half> _outputTensor;

        public Problem(CudaDevice device, int seqQ, Random random)
        {
            _seqQ = seqQ;
            (Half[] query, _query) = GpuTestElements.Random<Half>(random, (long)Batch * Heads * seqQ * Dim);
            (Half[] key, _key) = GpuTestElements.Random<Half>(random, (long)Batch * Heads * SeqKV * Dim);
            (Half[] value, _value) = GpuTestElements.Random<Half>(random, (long)Batch * Heads * SeqKV * Dim);
            _queryTensor = GpuTestTensor<Half>.Upload(device, query, Batch, Heads, seqQ, Dim, bshd: false);
            _keyTensor = GpuTestTensor<Half>.Upload(device, key, Batch, Heads, SeqKV, Dim, bshd: false);
            _valueTensor = GpuTestTensor<Half>.Upload(device, value, Batch, Heads, SeqKV, Dim, bshd: false);
            Half[] poison = new Half[Batch * Heads * seqQ * Dim];
            Array.Fill(poison, Half.NaN);
            _outputTensor = GpuTestTensor<Half>.Upload(device, poison, Batch, Heads, seqQ, Dim, bshd: false);
            Stream = new CudaStream(device);
        }

        public CudaStream Stream { get; }

        public void RunOnGpu(DeviceBuffer<float> bias)
            => RelativePositionBias.Forward(_queryTensor.Tensor, _keyTensor.Tensor, _valueTensor.Tensor, _outputTensor.Tensor, bias, MaxDistance, stream: Stream);

        public void AssertMatchesCpu(float[] bias)
        {
            float[] expected = new float[Batch * Heads * _seqQ * Dim];
            RelativePositionBias.Forward(
                new ReadOnlyTensorSpan<float>(_query, [Batch, Heads, _seqQ, Dim]),
                new ReadOnlyTensorSpan<float>(_key, [Batch, Heads, SeqKV, Dim]),
                new ReadOnlyTensorSpan<float>(_value, [Batch, Heads, SeqKV, Dim]),
                new TensorSpan<float>(expected, [Batch, Heads, _seqQ, Dim]),
                bias,
                MaxDistance);
            Half[] actual = new Half[expected.Length];
            _outputTensor.Tensor.CopyTo(new TensorSpan<Half>(actual, [Batch, Heads, _seqQ, Dim]));
            for (int i = 0; i < expected.Length; i++)
            {
                double error = Math.Abs((double)actual[i] - expected[i]);
                Assert.True(error <= 3e-3 + (3e-3 * Math.Abs(expected[i])), $"output {i}: gpu {(double)actual[i]}, cpu {expected[i]}");
            }
        }

        public void Dispose()
        {
            Stream.Dispose();
            _queryTensor.Dispose();
            _keyTensor.Dispose();
            _valueTensor.Dispose();
            _outputTensor.Dispose();
        }
    }
}
