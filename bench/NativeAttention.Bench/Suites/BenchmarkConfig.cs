using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NativeAttention.Bench;

/// <summary>
/// The configuration of every suite: in-process (the GPU machine carries a .NET runtime but no SDK to build BDN's
/// child project), one launch, one warm-up and three measured iterations so that S=8192 cases stay within seconds
/// each, the memory diagnoser and the throughput columns.
/// </summary>
internal static class BenchmarkConfig
{
    /// <summary>Creates the configuration.</summary>
    /// <returns>The configuration.</returns>
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithId("Short"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(ThroughputColumn.All)
            .WithOptions(ConfigOptions.JoinSummary);
}
