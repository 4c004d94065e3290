using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Running;
using NativeAttention.Bench;
using NativeAttention.Bench.Gpu;

// First, so that a first-call child can report when its Main began.
long mainEntered = Stopwatch.GetTimestamp();
if (args.Length > 0 && args[0] == GpuBenchmarks.CommandName)
{
    return GpuBenchmarks.Run(args[1..], Console.Out, mainEntered);
}

// No argument: the environment, the variant table and a short CPU summary (< 1 min on 2 cores).
// bdn [BenchmarkDotNet args]: the suites, e.g. bdn --filter '*Prefill*' '*MachineCeiling*'.
// compare <shapes.csv> <threads...>: the .NET half of bench/cpu/side_by_side.sh.
// cpu-calls [seq] [calls]: the first calls of one CPU shape in this fresh process, each timed alone.
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(PrefillBenchmarks).Assembly).Run(args[1..], BenchmarkConfig.Create());
    return 0;
}

if (args.Length > 1 && args[0] == "compare")
{
    CpuComparison.Write(Console.Out, args[1], args[2..].Select(int.Parse).ToArray());
    return 0;
}

if (args.Length > 0 && args[0] == CpuCallTimes.CommandName)
{
    CpuCallTimes.Write(Console.Out, args.Length > 1 ? int.Parse(args[1]) : 512, args.Length > 2 ? int.Parse(args[2]) : 20);
    return 0;
}

bool environmentOk = EnvironmentReport.Write(Console.Out);
Console.WriteLine();
VariantTable.Write(Console.Out);
Console.WriteLine();
CpuSummary.Write(Console.Out);
return environmentOk ? 0 : 1;
