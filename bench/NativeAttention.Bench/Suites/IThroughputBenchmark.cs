namespace NativeAttention.Bench;

/// <summary>A benchmark that knows, from its parameters alone, the work one invocation does.</summary>
public interface IThroughputBenchmark
{
    /// <summary>Gets the useful flops of one invocation; 0 when flops mean nothing for it.</summary>
    double FlopsPerInvocation { get; }

    /// <summary>Gets the bytes one invocation must read from memory; 0 when bandwidth means nothing for it.</summary>
    double BytesPerInvocation { get; }

    /// <summary>Gets the threads the invocation runs on, for the ceiling it is compared with.</summary>
    int ThreadCount { get; }
}
