using System;
using System.Linq;
using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Xunit;

namespace NativeAttention.Tests.CudaRuntime;

[Trait("Category", "Gpu")]
public sealed class GpuTests
{
    [Fact]
    public void TheDeviceReportsItsProperties()
    {
        CudaDevice device = RequireDevice();

        Assert.False(string.IsNullOrWhiteSpace(device.Name));
        Assert.True(device.MultiprocessorCount > 0);
        Assert.True(device.ComputeCapabilityMajor >= 5);
        Assert.Matches(new Regex("^sm_[0-9]{2,3}$"), device.Architecture);
        Assert.True(device.MaxSharedMemoryPerBlockOptin >= device.MaxSharedMemoryPerBlock);
        Assert.True(device.L2CacheBytes > 0);
        Assert.Same(device, CudaDevice.Get(0));
        Assert.True(Cuda.DriverVersion >= 11020);
    }

    [Fact]
    public void ACubinForTheExactArchLoadsLaunchesAndWritesEveryElement()
    {
        CudaDevice device = RequireDevice();
        const int N = 1_000_003;
        const float A = 1.75f;
        float[] x = RandomFloats(N, 1);
        float[] y = RandomFloats(N, 2);

        NvrtcCompilation compilation = NvrtcCompiler.Compile(TestKernels.Saxpy, "saxpy.cu", device.Architecture);
        Assert.True(compilation.IsCubin);
        using CudaModule module = CudaModule.Load(device, compilation);
        CudaKernel kernel = module.GetKernel("saxpy");
        using var xDevice = new DeviceBuffer<float>(device, N);
        using var yDevice = new DeviceBuffer<float>(device, N);
        using var output = new DeviceBuffer<float>(device, N);
        xDevice.CopyFrom(x);
        yDevice.CopyFrom(y);
        output.CopyFrom(Enumerable.Repeat(float.NaN, N).ToArray());

        var args = new KernelArguments();
        args.Add(output);
        args.Add(xDevice);
        args.Add(yDevice);
        args.Add(A);
        args.Add(N);
        kernel.Launch((N + 255) / 256, 256, 0, null, args);
        float[] result = new float[N];
        output.CopyTo(result);

        for (int i = 0; i < N; i++)
        {
            Assert.Equal(MathF.FusedMultiplyAdd(A, x[i], y[i]), result[i]);
        }

        Assert.True(kernel.RegisterCount > 0);
        Assert.Equal(0, kernel.LocalBytesPerThread);
        Assert.Equal(device.ComputeCapabilityMajor * 10 + device.ComputeCapabilityMinor, kernel.BinaryVersion);
        Assert.Same(kernel, module.GetKernel("saxpy"));
    }

    [Fact]
    public void AsyncCopiesOnAStreamAreOrderedAndEventsTimeTheKernel()
    {
        CudaDevice device = RequireDevice();
        const int N = 1 << 22;
        const float A = -0.5f;
        float[] x = RandomFloats(N, 3);
        float[] y = RandomFloats(N, 4);
        using CudaModule module = CudaModule.Load(device, KernelCache.Default.GetOrCompile(TestKernels.Saxpy, "saxpy.cu", device.Architecture));
        CudaKernel kernel = module.GetKernel("saxpy");

        using var stream = new CudaStream(device);
        using var start = new CudaEvent(device);
        using var end = new CudaEvent(device);
        using var pinnedX = new PinnedHostBuffer<float>(device, N);
        using var pinnedResult = new PinnedHostBuffer<float>(device, N);
        x.CopyTo(pinnedX.Span);
        pinnedResult.Span.Fill(float.NaN);
        using var xDevice = new DeviceBuffer<float>(device, N);
        using var yDevice = new DeviceBuffer<float>(device, N);
        using var output = new DeviceBuffer<float>(device, N);

        xDevice.CopyFromAsync(pinnedX, stream);
        yDevice.CopyFromAsync(y, stream);
        output.CopyFromAsync(Enumerable.Repeat(float.NaN, N).ToArray(), stream);
        var args = new KernelArguments();
        args.Add(output);
        args.Add(xDevice);
        args.Add(yDevice);
        args.Add(A);
        args.Add(N);
        start.Record(stream);
        kernel.Launch(N / 256, 256, 0, stream, args);
        end.Record(stream);
        output.CopyToAsync(pinnedResult, stream);
        stream.Synchronize();

        Assert.True(end.IsCompleted);
        float milliseconds = CudaEvent.ElapsedMilliseconds(start, end);
        Assert.InRange(milliseconds, 1e-4f, 1000f);
        float[] result = pinnedResult.Span.ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(MathF.FusedMultiplyAdd(A, x[i], y[i]), result[i]);
        }
    }

    [Fact]
    public void DynamicSharedMemoryAbove48KbOptsInAndWorks()
    {
        CudaDevice device = RequireDevice();
        Assert.SkipUnless(device.MaxSharedMemoryPerBlockOptin > 48 * 1024, $"{device.Name} allows only {device.MaxSharedMemoryPerBlockOptin} bytes per block");
        using CudaModule module = CudaModule.Load(device, NvrtcCompiler.Compile(TestKernels.ReverseThroughSharedMemory, "reverse.cu", device.Architecture));
        CudaKernel kernel = module.GetKernel("reverse_blocks");
        int sharedBytes = device.MaxSharedMemoryPerBlockOptin - kernel.StaticSharedBytes;
        int perBlock = sharedBytes / sizeof(float);
        const int Blocks = 5;
        float[] input = RandomFloats(perBlock * Blocks, 5);
        using var inputDevice = new DeviceBuffer<float>(device, input.Length);
        using var output = new DeviceBuffer<float>(device, input.Length);
        inputDevice.CopyFrom(input);
        output.CopyFrom(Enumerable.Repeat(float.NaN, input.Length).ToArray());

        var args = new KernelArguments();
        args.Add(output);
        args.Add(inputDevice);
        args.Add(perBlock);
        kernel.Launch(Blocks, 256, perBlock * sizeof(float), null, args);
        kernel.Launch(Blocks, 256, perBlock * sizeof(float), null, args);
        float[] result = new float[input.Length];
        output.CopyTo(result);

        Assert.True(perBlock * sizeof(float) > 48 * 1024);
        for (int block = 0; block < Blocks; block++)
        {
            for (int i = 0; i < perBlock; i++)
            {
                Assert.Equal(input[block * perBlock + perBlock - 1 - i], result[block * perBlock + i]);
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var tooMuch = new KernelArguments();
            tooMuch.Add(output);
            tooMuch.Add(inputDevice);
            tooMuch.Add(perBlock);
            kernel.Launch(Blocks, 256, sharedBytes + 4, null, tooMuch);
        });
    }

    [Fact]
    public void TensorCopiesHonourHostAndDeviceStridesAndKeepDeviceGaps()
    {
        CudaDevice device = RequireDevice();
        nint[] lengths = [3, 4, 5];
        float[] hostStorage = RandomFloats(3 * 4 * 10, 6);
        var hostView = new ReadOnlyTensorSpan<float>(hostStorage, lengths, [40, 10, 2]);
        DeviceTensorLayout padded = DeviceTensorLayout.Create(lengths, [48, 8, 1], offset: 3);
        const float Sentinel = -12345f;
        using var buffer = new DeviceBuffer<float>(device, padded.RequiredBufferLength + 2);
        buffer.CopyFrom(Enumerable.Repeat(Sentinel, (int)buffer.Length).ToArray());
        using var tensor = new DeviceTensor<float>(buffer, padded);
        using var stream = new CudaStream(device);

        tensor.CopyFrom(hostView);
        float[] raw = new float[buffer.Length];
        buffer.CopyTo(raw);
        var expectedRaw = Enumerable.Repeat(Sentinel, raw.Length).ToArray();
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                for (int k = 0; k < 5; k++)
                {
                    expectedRaw[3 + i * 48 + j * 8 + k] = hostStorage[i * 40 + j * 10 + k * 2];
                }
            }
        }

        Assert.Equal(expectedRaw, raw);

        float[] transposedStorage = Enumerable.Repeat(float.NaN, 60).ToArray();
        var transposed = new TensorSpan<float>(transposedStorage, lengths, [1, 3, 12]);
        tensor.CopyToAsync(transposed, stream);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                for (int k = 0; k < 5; k++)
                {
                    Assert.Equal(hostStorage[i * 40 + j * 10 + k * 2], transposedStorage[i + j * 3 + k * 12]);
                }
            }
        }

        using DeviceTensor<float> dense = DeviceTensor<float>.Allocate(device, lengths);
        dense.CopyFromAsync(new ReadOnlyTensorSpan<float>(transposedStorage, lengths, [1, 3, 12]), stream);
        float[] packed = Enumerable.Repeat(float.NaN, 60).ToArray();
        dense.CopyToAsync(new TensorSpan<float>(packed, lengths), stream);
        stream.Synchronize();
        float[] flattenedView = new float[60];
        hostView.FlattenTo(flattenedView);
        Assert.Equal(flattenedView, packed);

        ArgumentException mismatch = Assert.Throws<ArgumentException>(() => dense.CopyFrom(new ReadOnlyTensorSpan<float>(packed, [5, 4, 3])));
        Assert.Equal("source", mismatch.ParamName);
    }

    [Fact]
    public void DriverErrorsCarryTheirNameAndDescription()
    {
        CudaDevice device = RequireDevice();

        CudaException error = Assert.Throws<CudaException>(() => CudaModule.Load(device, "this is not a module"u8));

        Assert.StartsWith("CUDA_ERROR_", error.ErrorName, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDescription));
        Assert.Equal("cuModuleLoadData", error.Operation);
        Assert.Contains(error.ErrorName, error.Message, StringComparison.Ordinal);

        using CudaModule module = CudaModule.Load(device, NvrtcCompiler.Compile(TestKernels.Saxpy, "saxpy.cu", device.Architecture));
        ArgumentException missing = Assert.Throws<ArgumentException>(() => module.GetKernel("no_such_kernel"));
        Assert.Equal("CUDA_ERROR_NOT_FOUND", Assert.IsType<CudaException>(missing.InnerException).ErrorName);
    }

    private static CudaDevice RequireDevice()
    {
        Assert.SkipUnless(Cuda.IsAvailable, Cuda.UnavailableReason ?? string.Empty);
        return CudaDevice.Default;
    }

    private static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
