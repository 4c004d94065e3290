namespace NativeAttention.Bench;

/// <summary>Which built-in variant a workload runs.</summary>
public enum MaskKind
{
    /// <summary>The built-in <see cref="NativeAttention.Dense"/> variant.</summary>
    Dense,

    /// <summary>The built-in <see cref="NativeAttention.Causal"/> variant.</summary>
    Causal,
}
