namespace NativeAttention.Bench.Gpu;

/// <summary>
/// The figures of one timed call: the median GPU milliseconds between events around single calls, the median host
/// microseconds inside the call, and the mean GPU milliseconds per call of calls queued back to back.
/// </summary>
internal readonly record struct GpuTiming(double Milliseconds, double HostMicroseconds, double BackToBackMilliseconds);
