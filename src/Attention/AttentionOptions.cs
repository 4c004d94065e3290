using System;

namespace NativeAttention;

/// <summary>Options shared by every attention variant's <c>Forward</c>.</summary>
public sealed class AttentionOptions
{
    /// <summary>Gets the factor applied to q·k before the score mod; <see langword="null"/> means 1/sqrt(headDim).</summary>
    public float? Scale { get; init; }

    /// <summary>
    /// Gets where to write the natural-log log-sum-exp of each query row's scores, as a contiguous
    /// [batch, heads, seqQ] array of <see cref="float"/>; empty to skip it. A row whose every key is masked gets
    /// negative infinity.
    /// </summary>
    public Memory<float> LogSumExp { get; init; }

    /// <summary>
    /// Gets where a GPU call writes the natural-log log-sum-exp of each query row, as a contiguous
    /// [batch, heads, seqQ] device array of at least batch·heads·seqQ floats; null to skip it. Written in stream order,
    /// like the output. A row whose every key is masked gets negative infinity. CPU calls ignore it.
    /// </summary>
    public DeviceBuffer<float>? DeviceLogSumExp { get; init; }

    /// <summary>Gets the most threads a CPU call may use; -1 (the default) means no limit.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
