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
        ThroughputKind.PercentOfPeakFma => "GFLOP/s as % of the measured peak FMA rate on the same thread count",
        ThroughputKind.Gigabytes => "Bytes that must be read (K+V for attention) per median time",
        _ => "GB/s as % of the measured memory read bandwidth on the same thread count",
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
            ThroughputKind.PercentOfPeakFma when work.FlopsPerInvocation > 0 => (100 * gflops / MachineCeilings.FmaGflops(work.ThreadCount)).ToString("F1"),
            ThroughputKind.Gigabytes when work.BytesPerInvocation > 0 => gigabytes.ToString("F1"),
            ThroughputKind.PercentOfReadBandwidth when work.BytesPerInvocation > 0 => (100 * gigabytes / MachineCeilings.ReadGigabytesPerSecond(work.ThreadCount)).ToString("F1"),
            _ => "-",
        };
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public override string ToString() => ColumnName;
}
