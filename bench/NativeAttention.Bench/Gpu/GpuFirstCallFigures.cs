namespace NativeAttention.Bench.Gpu;

/// <summary>
/// What a child process measured: its first Forward (module load from the disk cache included) until the stream was
/// synchronized, a second call the same way, and its kernel cache's compile and disk-hit counts.
/// </summary>
internal sealed record GpuFirstCallFigures(string Variant, double FirstCallMilliseconds, double SecondCallMilliseconds, long Compiles, long DiskHits);
