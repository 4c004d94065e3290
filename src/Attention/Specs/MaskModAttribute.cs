using System;

namespace NativeAttention;

/// <summary>
/// Marks the method of a spec that keeps (true) or drops (false) each (query, key) pair:
/// <c>static bool Mask(int batch, int head, int q, int kv, captures...)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class MaskModAttribute : Attribute
{
}
