using System;
using NativeAttention.Bench;
using NativeAttention.Bench.Gpu;

if (args.Length > 0 && args[0] == GpuBenchmarks.CommandName)
{
    return GpuBenchmarks.Run(args[1..], Console.Out);
}

bool environmentOk = EnvironmentReport.Write(Console.Out);
Console.WriteLine();
VariantTable.Write(Console.Out);
return environmentOk ? 0 : 1;
