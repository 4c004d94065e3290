using System;
using System.Collections.Generic;

namespace NativeAttention.Bench;

/// <summary>The thread counts every suite runs: one, and all the machine has.</summary>
public static class ThreadCounts
{
    /// <summary>Gets 1 and <see cref="Environment.ProcessorCount"/>.</summary>
    public static IEnumerable<int> OneAndAll => Environment.ProcessorCount == 1 ? [1] : [1, Environment.ProcessorCount];
}
