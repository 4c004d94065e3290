using System;
using NativeAttention.Bench;

bool environmentOk = EnvironmentReport.Write(Console.Out);
Console.WriteLine();
VariantTable.Write(Console.Out);
return environmentOk ? 0 : 1;
