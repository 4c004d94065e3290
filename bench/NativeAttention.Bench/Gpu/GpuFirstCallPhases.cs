namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Where a new process's first call spends its time, each phase timed in a child of its own: reading and verifying
/// the cached images (with the JIT of that code), loading them as modules, then the first and second Forward calls
/// with everything loaded (tile map, launch and the JIT of the call path).
/// </summary>
internal sealed record GpuFirstCallPhases(string Variant, double ReadMilliseconds, double LoadMilliseconds, double FirstCallMilliseconds, double SecondCallMilliseconds);
