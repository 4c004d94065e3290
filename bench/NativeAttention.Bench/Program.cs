using System;
using NativeAttention.Bench;

return EnvironmentReport.Write(Console.Out) ? 0 : 1;
