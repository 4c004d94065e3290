namespace NativeAttention.Tests.Support;

/// <summary>How a test tensor's [batch, heads, seq, dim] view sits in its backing array.</summary>
public enum TensorLayout
{
    /// <summary>Dense [batch, heads, seq, dim].</summary>
    Bhsd,

    /// <summary>A [batch, heads, seq, dim] view over dense [batch, seq, heads, dim] storage.</summary>
    Bshd,

    /// <summary>[batch, heads, seq, dim] whose rows are padded by a few elements that the kernel must not touch.</summary>
    PaddedRows,
}
