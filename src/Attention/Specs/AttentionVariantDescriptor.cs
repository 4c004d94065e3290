using System;
using System.Collections.Generic;

namespace NativeAttention;

/// <summary>
/// What the generator learned about one spec: its name and source, its captures in <c>Forward</c> order, which mods it
/// has, whether its tile classification is static, and its CUDA device functions.
/// </summary>
public sealed class AttentionVariantDescriptor
{
    /// <summary>
    /// The rule that turns C# identifiers into CUDA identifiers: a name is kept as it is unless it is a CUDA/C++
    /// keyword or reserved word, or starts with <c>na_</c> (the generated code's own prefix); then <c>_</c> is
    /// appended. Non-ASCII characters become <c>_uXXXX</c>.
    /// </summary>
    public const string CudaNameRule = "name unchanged; CUDA/C++ keywords and names starting with na_ get a trailing '_'; non-ASCII characters become _uXXXX";

    /// <summary>Creates a descriptor (called by generated code).</summary>
    /// <param name="name">The spec class's name.</param>
    /// <param name="fullName">The spec class's fully qualified name.</param>
    /// <param name="sourcePath">The spec's source file.</param>
    /// <param name="sourceLine">The one-based line of the spec class declaration.</param>
    /// <param name="captures">The captures in <c>Forward</c> order.</param>
    /// <param name="hasScoreMod">Whether the spec changes scores.</param>
    /// <param name="hasMaskMod">Whether the spec masks pairs.</param>
    /// <param name="hasStaticTileClassification">Whether interval analysis alone classifies tiles.</param>
    /// <param name="capturesSize">The byte size of the CUDA <c>na_captures</c> struct.</param>
    /// <param name="cudaSource">The CUDA device functions (the spec's <c>CudaSource</c>).</param>
    public AttentionVariantDescriptor(
        string name,
        string fullName,
        string sourcePath,
        int sourceLine,
        IReadOnlyList<AttentionCaptureDescriptor> captures,
        bool hasScoreMod,
        bool hasMaskMod,
        bool hasStaticTileClassification,
        int capturesSize,
        string cudaSource)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(captures);
        ArgumentException.ThrowIfNullOrEmpty(cudaSource);
        Name = name;
        FullName = fullName;
        SourcePath = sourcePath;
        SourceLine = sourceLine;
        Captures = captures;
        HasScoreMod = hasScoreMod;
        HasMaskMod = hasMaskMod;
        HasStaticTileClassification = hasStaticTileClassification;
        CapturesSize = capturesSize;
        CudaSource = cudaSource;
    }

    /// <summary>Gets the spec class's name.</summary>
    public string Name { get; }

    /// <summary>Gets the spec class's fully qualified name.</summary>
    public string FullName { get; }

    /// <summary>Gets the spec's source file, as the compiler saw it.</summary>
    public string SourcePath { get; }

    /// <summary>Gets the one-based line of the spec class declaration.</summary>
    public int SourceLine { get; }

    /// <summary>Gets the captures in <c>Forward</c> order (score mod's first, then the mask mod's new ones), which is also their order in <c>na_captures</c>.</summary>
    public IReadOnlyList<AttentionCaptureDescriptor> Captures { get; }

    /// <summary>Gets whether the spec changes scores (false when it has no score mod or the score mod returns the score unchanged).</summary>
    public bool HasScoreMod { get; }

    /// <summary>Gets whether the spec masks pairs.</summary>
    public bool HasMaskMod { get; }

    /// <summary>Gets whether interval analysis alone classifies tiles (false when the mask reads span captures at positions it cannot bound).</summary>
    public bool HasStaticTileClassification { get; }

    /// <summary>Gets the byte size of the CUDA <c>na_captures</c> struct (natural C alignment; 4 with no captures).</summary>
    public int CapturesSize { get; }

    /// <summary>
    /// Gets the header-free CUDA C++ source defining <c>NA_HAS_SCORE_MOD</c>, <c>NA_HAS_MASK_MOD</c>, <c>struct na_captures</c>,
    /// <c>na_score_mod</c> and <c>na_mask_mod</c>. Its <c>#line</c> directives point into the spec's C# file, so a
    /// kernel template placed after it should begin with its own <c>#line</c> directive.
    /// </summary>
    public string CudaSource { get; }
}
