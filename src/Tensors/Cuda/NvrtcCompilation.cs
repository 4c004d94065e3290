using System;

namespace NativeAttention;

/// <summary>The product of one NVRTC compilation: a CUBIN for a real architecture (sm_XX) or PTX for a virtual one (compute_XX).</summary>
public sealed class NvrtcCompilation
{
    /// <summary>Creates a compilation result.</summary>
    /// <param name="image">The CUBIN bytes or the PTX text (UTF-8, without a NUL terminator).</param>
    /// <param name="isCubin">True when <paramref name="image"/> is a CUBIN.</param>
    /// <param name="log">The compiler log (warnings, or empty).</param>
    public NvrtcCompilation(byte[] image, bool isCubin, string log)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(log);
        Image = image;
        IsCubin = isCubin;
        Log = log;
    }

    /// <summary>Gets the CUBIN bytes or the PTX text.</summary>
    public byte[] Image { get; }

    /// <summary>Gets whether <see cref="Image"/> is a CUBIN (otherwise it is PTX).</summary>
    public bool IsCubin { get; }

    /// <summary>Gets the compiler log (warnings, or empty).</summary>
    public string Log { get; }
}
