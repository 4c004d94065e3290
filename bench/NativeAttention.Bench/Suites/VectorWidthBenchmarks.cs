using System.Threading;
using BenchmarkDotNet.Attributes;

namespace NativeAttention.Bench;

/// <summary>
/// The 256-bit against the 512-bit micro-kernels on dense fp32 S=2048, all threads: on some CPUs the narrower one
/// wins. Where AVX-512 is missing, .NET emulates Vector512 and its row measures the emulation.
/// </summary>
[MemoryDiagnoser]
public class VectorWidthBenchmarks : IThroughputBenchmark
{
    private AttentionWorkload? _workload;

    /// <summary>Gets or sets the micro-kernels.</summary>
    [Params(VectorWidth.V256, VectorWidth.V512)]
    public VectorWidth Width { get; set; }

    /// <summary>Gets or sets the head dim.</summary>
    [Params(64, 128)]
    public int D { get; set; }

    /// <inheritdoc />
    public double FlopsPerInvocation => 4.0 * 8 * 2048.0 * 2048 * D;

    /// <inheritdoc />
    public double BytesPerInvocation => 0;

    /// <inheritdoc />
    public int ThreadCount => System.Environment.ProcessorCount;

    /// <summary>Creates the tensors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ThreadPool.SetMinThreads(ThreadCount, ThreadCount);
        _workload = new AttentionWorkload(MaskKind.Dense, ElementKind.Fp32, 1, 8, 8, 2048, 2048, D);
    }

    /// <summary>One forward call.</summary>
    [Benchmark]
    public void Fused() => _workload!.Run(ThreadCount, Width);
}
