using BenchmarkDotNet.Attributes;

namespace NativeAttention.Bench;

/// <summary>The machine's ceilings as benchmarks of their own, so that they sit in the same table as the kernels.</summary>
[MemoryDiagnoser]
public class MachineCeilingBenchmarks : IThroughputBenchmark
{
    /// <summary>Gets or sets which ceiling.</summary>
    [Params("PeakFma", "MemoryRead")]
    public string Ceiling { get; set; } = "PeakFma";

    /// <summary>Gets or sets the thread count.</summary>
    [ParamsSource(typeof(ThreadCounts), nameof(ThreadCounts.OneAndAll))]
    public int Threads { get; set; }

    /// <inheritdoc />
    public double FlopsPerInvocation => Ceiling == "PeakFma" ? Threads * PeakFma.FlopsPerThreadRound : 0;

    /// <inheritdoc />
    public double BytesPerInvocation => Ceiling == "PeakFma" ? 0 : MemoryReadBandwidth.BytesPerPass;

    /// <inheritdoc />
    public int ThreadCount => Threads;

    /// <summary>One round of FMA chains or one pass over the read buffer.</summary>
    /// <returns>The seconds measured inside, kept so the call has a result.</returns>
    [Benchmark]
    public double Measure() => Ceiling == "PeakFma" ? PeakFma.RunRound(Threads) : MemoryReadBandwidth.RunPass(Threads);
}
