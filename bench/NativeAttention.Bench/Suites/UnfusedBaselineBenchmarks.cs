using System.Threading;
using BenchmarkDotNet.Attributes;

namespace NativeAttention.Bench;

/// <summary>
/// The unfused baseline (<see cref="UnfusedAttention"/>) on the fp32 prefill shapes it can hold: B=1, H=8, S up to
/// 2048 (at 8192 the eight score matrices alone would take 2 GiB).
/// </summary>
[MemoryDiagnoser]
public class UnfusedBaselineBenchmarks : IThroughputBenchmark
{
    private UnfusedAttention? _baseline;

    /// <summary>Gets or sets the variant.</summary>
    [Params(MaskKind.Dense, MaskKind.Causal)]
    public MaskKind Mask { get; set; }

    /// <summary>Gets or sets the sequence length.</summary>
    [Params(512, 2048)]
    public int S { get; set; }

    /// <summary>Gets or sets the head dim.</summary>
    [Params(64, 128)]
    public int D { get; set; }

    /// <summary>Gets or sets the thread count.</summary>
    [ParamsSource(typeof(ThreadCounts), nameof(ThreadCounts.OneAndAll))]
    public int Threads { get; set; }

    /// <inheritdoc />
    public double FlopsPerInvocation => 4.0 * AttentionWorkload.KeptPairs(Mask, 8, S, S) * D;

    /// <inheritdoc />
    public double BytesPerInvocation => 0;

    /// <inheritdoc />
    public int ThreadCount => Threads;

    /// <summary>Creates the tensors and score matrices.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ThreadPool.SetMinThreads(Threads, Threads);
        _baseline = new UnfusedAttention(Mask, 8, S, D);
    }

    /// <summary>One unfused call.</summary>
    [Benchmark]
    public void Unfused() => _baseline!.Run(Threads);
}
