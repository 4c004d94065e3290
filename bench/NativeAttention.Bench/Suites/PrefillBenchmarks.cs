using System.Collections.Generic;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace NativeAttention.Bench;

/// <summary>The fused CPU forward on prefill shapes: B=1, H=8, seqQ = seqKV = S, dense and causal, fp32 and bf16.</summary>
[MemoryDiagnoser]
public class PrefillBenchmarks : IThroughputBenchmark
{
    private AttentionWorkload? _workload;

    /// <summary>Gets or sets the variant.</summary>
    [Params(MaskKind.Dense, MaskKind.Causal)]
    public MaskKind Mask { get; set; }

    /// <summary>Gets or sets the sequence length.</summary>
    [Params(512, 2048, 8192)]
    public int S { get; set; }

    /// <summary>Gets or sets the head dim.</summary>
    [Params(64, 128)]
    public int D { get; set; }

    /// <summary>Gets or sets the element type.</summary>
    [Params(ElementKind.Fp32, ElementKind.Bf16)]
    public ElementKind Element { get; set; }

    /// <summary>Gets or sets the thread count.</summary>
    [ParamsSource(typeof(ThreadCounts), nameof(ThreadCounts.OneAndAll))]
    public int Threads { get; set; }

    /// <inheritdoc />
    public double FlopsPerInvocation => 4.0 * AttentionWorkload.KeptPairs(Mask, 8, S, S) * D;

    /// <inheritdoc />
    public double BytesPerInvocation => 0;

    /// <inheritdoc />
    public int ThreadCount => Threads;

    /// <summary>Creates the tensors and lets the pool start every thread before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ThreadPool.SetMinThreads(Threads, Threads);
        _workload = new AttentionWorkload(Mask, Element, 1, 8, 8, S, S, D);
    }

    /// <summary>One forward call.</summary>
    [Benchmark]
    public void Fused() => _workload!.Run(Threads);
}
