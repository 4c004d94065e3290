using System;

namespace NativeAttention;

/// <summary>
/// Marks a <see langword="static partial"/> class as an attention-variant spec. The source generator turns its
/// <see cref="ScoreModAttribute"/> and <see cref="MaskModAttribute"/> methods into typed <c>Forward</c> overloads,
/// a CPU mod struct and CUDA device functions.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AttentionVariantAttribute : Attribute
{
}
