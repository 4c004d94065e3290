using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace NativeAttention;

/// <summary>
/// Builds the 64-bit fingerprint of a spec's capture values (<see cref="IAttentionMods.CaptureFingerprint"/>), so
/// that cached run-time tile maps are reused only for the same captures.
/// </summary>
/// <remarks>Not cryptographic: a fast multiply-rotate mix over the raw bits, lengths included.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CaptureHasher
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private ulong _state;

    /// <summary>Mixes in a span capture: its length and every element's bits.</summary>
    /// <param name="values">The capture.</param>
    public void Add(ReadOnlySpan<float> values) => AddBits(MemoryMarshal.Cast<float, int>(values));

    /// <summary>Mixes in a span capture: its length and every element.</summary>
    /// <param name="values">The capture.</param>
    public void Add(ReadOnlySpan<int> values) => AddBits(values);

    /// <summary>Mixes in a scalar capture's bits.</summary>
    /// <param name="value">The capture.</param>
    public void Add(float value) => Mix((uint)BitConverter.SingleToInt32Bits(value));

    /// <summary>Mixes in a scalar capture.</summary>
    /// <param name="value">The capture.</param>
    public void Add(int value) => Mix((uint)value);

    /// <summary>Finishes the fingerprint.</summary>
    /// <returns>The 64-bit fingerprint of everything added.</returns>
    public readonly ulong ToFingerprint()
    {
        ulong h = _state;
        h ^= h >> 33;
        h *= Prime2;
        h ^= h >> 29;
        h *= Prime1;
        h ^= h >> 32;
        return h;
    }

    private void AddBits(ReadOnlySpan<int> values)
    {
        Mix((uint)values.Length);
        ReadOnlySpan<ulong> pairs = MemoryMarshal.Cast<int, ulong>(values);
        foreach (ulong pair in pairs)
        {
            Mix(pair);
        }

        if ((values.Length & 1) != 0)
        {
            Mix((uint)values[^1]);
        }
    }

    private void Mix(ulong value)
    {
        _state ^= value * Prime2;
        _state = ((_state << 31) | (_state >> 33)) * Prime1;
    }
}
