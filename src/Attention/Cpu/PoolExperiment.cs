using System;

namespace NativeAttention;

/// <summary>
/// TEMPORARY switch for the A/B run of the dedicated CPU worker pool against the .NET thread pool on the 16-core
/// Xeon (issue 4); to be removed with the losing path once the figures are in.
/// </summary>
internal static class PoolExperiment
{
    /// <summary>
    /// True (the default) to take parallel CPU calls' helpers from <see cref="CpuWorkerPool"/>; false when the
    /// environment variable NA_CPU_EXP_POOL is "threadpool", to queue them on the .NET thread pool as before.
    /// </summary>
    public static readonly bool UseDedicatedPool = Environment.GetEnvironmentVariable("NA_CPU_EXP_POOL") != "threadpool";
}
