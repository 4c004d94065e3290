namespace NativeAttention.Generators.Model;

/// <summary>
/// A span capture indexed by a bare index parameter: it must hold at least as many elements as the call's
/// <see cref="Dimension"/> ("batch", "heads" or "seqKV").
/// </summary>
internal sealed record LengthRequirement(string Capture, string IndexName, string Dimension);
