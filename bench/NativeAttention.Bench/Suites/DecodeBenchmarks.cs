using System.Threading;
using BenchmarkDotNet.Attributes;

namespace NativeAttention.Bench;

/// <summary>
/// Decode: one query per head over a long key range, B=1, 32 query heads on 4 key/value heads (GQA 8:1), D=128; the
/// figure that matters is the K+V read rate against the machine's read bandwidth.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks : IThroughputBenchmark
{
    private const int Heads = 32;
    private const int KvHeads = 4;
    private const int Dim = 128;
    private AttentionWorkload? _workload;

    /// <summary>Gets or sets the key/value length.</summary>
    [Params(4096, 32768)]
    public int KV { get; set; }

    /// <summary>Gets or sets the element type.</summary>
    [Params(ElementKind.Fp32, ElementKind.Bf16, ElementKind.Fp16)]
    public ElementKind Element { get; set; }

    /// <summary>Gets or sets the thread count.</summary>
    [ParamsSource(typeof(ThreadCounts), nameof(ThreadCounts.OneAndAll))]
    public int Threads { get; set; }

    /// <inheritdoc />
    public double FlopsPerInvocation => 4.0 * Heads * KV * Dim;

    /// <inheritdoc />
    public double BytesPerInvocation => 2.0 * KvHeads * KV * Dim * AttentionWorkload.BytesPerElement(Element);

    /// <inheritdoc />
    public int ThreadCount => Threads;

    /// <summary>Creates the tensors and lets the pool start every thread before timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ThreadPool.SetMinThreads(Threads, Threads);
        _workload = new AttentionWorkload(MaskKind.Causal, Element, 1, Heads, KvHeads, 1, KV, Dim);
    }

    /// <summary>One decode step.</summary>
    [Benchmark]
    public void Decode() => _workload!.Run(Threads);
}
