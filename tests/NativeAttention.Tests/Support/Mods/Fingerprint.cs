using System;
using System.Runtime.InteropServices;

namespace NativeAttention.Tests.Support;

/// <summary>FNV-1a over the bytes of capture values: what a generated CaptureFingerprint computes.</summary>
public static class Fingerprint
{
    public static ulong Of<T>(ReadOnlySpan<T> values, ulong seed = 14695981039346656037UL)
        where T : unmanaged
    {
        ulong hash = seed;
        foreach (byte b in MemoryMarshal.AsBytes(values))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    public static ulong Of(int value) => Of<int>([value]);
}
