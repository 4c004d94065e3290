using System;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NativeAttention.Bench;

/// <summary>
/// GFLOP/s, GB/s and their fractions of the machine's measured ceilings (peak FMA, memory read bandwidth on the same
/// thread count, measured in this process), from a benchmark's median time and its <see cref="IThroughputBenchmark"/> work.
/// </summary>
internal sealed class ThroughputColumn : IColumn
{
    private readonly ThroughputKind _kind;

    private ThroughputColumn(ThroughputKind kind) => _kind = kind;

    /// <summary>What a column shows.</summary>
    private enum ThroughputKind
    {
        Gflops,
        PercentOfPeakFma,
        Gigabytes,
        PercentOfReadBandwidth,
    }

    /// <summary>Gets the four columns.</summary>
    public static IColumn[] All =>
    [
        new ThroughputColumn(ThroughputKind.Gflops),
        new ThroughputColumn(ThroughputKind.PercentOfPeakFma),
        new ThroughputColumn(ThroughputKind.Gigabytes),
        new ThroughputColumn(ThroughputKind.PercentOfReadBandwidth),
    ];

    /// <inheritdoc />
    public string Id => "Throughput." + _kind;

    /// <inheritdoc />
    public string ColumnName => _kind switch
    {
        ThroughputKind.Gflops => "GFLOP/s",
        ThroughputKind.PercentOfPeakFma => "%PeakFMA",
        ThroughputKind.Gigabytes => "GB/s",
        _ => "%ReadBW",
    };

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => (int)_kind;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => _kind switch
    {
        ThroughputKind.Gflops => "Useful flops (4·kept pairs·dim) per median time",
        ThroughputKind.PercentOfPeakFma => "GFLOP/s as % of the peak FMA rate on the same thread count: this run's MachineCeiling row if any, else measured at summary time",
        ThroughputKind.Gigabytes => "Bytes that must be read (K+V for attention) per median time",
        _ => "GB/s as % of the memory read bandwidth on the same thread count: this run's MachineCeiling row if any, else measured at summary time",
    };

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        if (report?.ResultStatistics is null || Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IThroughputBenchmark work)
        {
            return "-";
        }

        foreach (ParameterInstance parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(work, parameter.Value);
        }

        double seconds = report.ResultStatistics.Median * 1e-9;
        double gflops = work.FlopsPerInvocation / seconds / 1e9;
        double gigabytes = work.BytesPerInvocation / seconds / 1e9;
        return _kind switch
        {
            ThroughputKind.Gflops when work.FlopsPerInvocation > 0 => gflops.ToString("F1"),
            ThroughputKind.PercentOfPeakFma when work.FlopsPerInvocation > 0 => (100 * gflops / Ceiling(summary, "PeakFma", work.ThreadCount)).ToString("F1"),
            ThroughputKind.Gigabytes when work.BytesPerInvocation > 0 => gigabytes.ToString("F1"),
            ThroughputKind.PercentOfReadBandwidth when work.BytesPerInvocation > 0 => (100 * gigabytes / Ceiling(summary, "MemoryRead", work.ThreadCount)).ToString("F1"),
            _ => "-",
        };
    }

    /// <summary>
    /// The ceiling from this summary's own <see cref="MachineCeilingBenchmarks"/> row for the same thread count when the
    /// run included it, so that a figure and its ceiling come from the same run under the same load; else measured now.
    /// </summary>
    private static double Ceiling(Summary summary, string ceiling, int threads)
    {
        foreach (BenchmarkCase candidate in summary.BenchmarksCases)
        {
            if (candidate.Descriptor.Type == typeof(MachineCeilingBenchmarks)
                && Equals(candidate.Parameters["Ceiling"], ceiling)
                && Equals(candidate.Parameters["Threads"], threads)
                && summary[candidate]?.ResultStatistics is { } statistics)
            {
                var row = new MachineCeilingBenchmarks { Ceiling = ceiling, Threads = threads };
                double seconds = statistics.Median * 1e-9;
                return ceiling == "PeakFma" ? row.FlopsPerInvocation / seconds / 1e9 : row.BytesPerInvocation / seconds / 1e9;
            }
        }

        return ceiling == "PeakFma" ? MachineCeilings.FmaGflops(threads) : MachineCeilings.ReadGigabytesPerSecond(threads);
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public override string ToString() => ColumnName;
}
