using System;

namespace NativeAttention;

/// <summary>
/// Marks the method of a spec that rewrites each scaled score (q·k·scale) before normalization:
/// <c>static float Score(float score, int batch, int head, int q, int kv, captures...)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ScoreModAttribute : Attribute
{
}
