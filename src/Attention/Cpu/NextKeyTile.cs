using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>
/// The key and value rows of the key tile a worker reads next, for the decoding kernels to prefetch while they compute
/// the current tile: in bursts of rows (<see cref="Prefetch"/>) or a line at a time (<see cref="KeyLines"/>,
/// <see cref="ValueLines"/>). A decoding tile of a few rows does little arithmetic per byte: without the prefetch the
/// memory sat idle through each tile's products and softmax (the hardware prefetchers run only a few lines ahead of the
/// loads), and one Xeon core read its keys and values at about half its measured bandwidth (84% with it).
/// </summary>
internal readonly unsafe struct NextKeyTile
{
    private const int LineBytes = 64;

    private readonly byte* _key;
    private readonly nint _keyStride;
    private readonly byte* _value;
    private readonly nint _valueStride;
    private readonly int _keyRowBytes;
    private readonly int _valueRowBytes;
    private readonly int _rows;

    /// <summary>Describes the next tile's rows.</summary>
    /// <param name="key">Its first key row.</param>
    /// <param name="keyStride">The distance in bytes between key rows.</param>
    /// <param name="keyRowBytes">The bytes of one key row.</param>
    /// <param name="value">Its first value row.</param>
    /// <param name="valueStride">The distance in bytes between value rows.</param>
    /// <param name="valueRowBytes">The bytes of one value row.</param>
    /// <param name="rows">Its number of rows; 0 when there is no next tile.</param>
    public NextKeyTile(byte* key, nint keyStride, int keyRowBytes, byte* value, nint valueStride, int valueRowBytes, int rows)
    {
        _key = key;
        _keyStride = keyStride;
        _keyRowBytes = keyRowBytes;
        _value = value;
        _valueStride = valueStride;
        _valueRowBytes = valueRowBytes;
        _rows = Sse.IsSupported ? rows : 0;
    }

    /// <summary>Gets the description of no next tile: <see cref="Prefetch"/> does nothing.</summary>
    public static NextKeyTile None => default;

    /// <summary>Asks for rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of the tile's keys and values, those that exist, to be brought into cache.</summary>
    /// <param name="first">The first row.</param>
    /// <param name="count">The number of rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int first, int count)
    {
        int end = Math.Min(first + count, _rows);
        for (int j = first; j < end; j++)
        {
            PrefetchRow(_key + (j * _keyStride), _keyRowBytes);
            PrefetchRow(_value + (j * _valueStride), _valueRowBytes);
        }
    }

    /// <summary>Gets the same tile without its values, for a product that asks for the keys while another asks for the values.</summary>
    public NextKeyTile KeysOnly => new(_key, _keyStride, _keyRowBytes, _value, _valueStride, 0, _rows);

    /// <summary>Gets key rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>), those that exist, to be asked for a line at a time.</summary>
    /// <param name="first">The first row.</param>
    /// <param name="count">The number of rows.</param>
    /// <returns>The rows' lines.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public NextTileLines KeyLines(int first, int count) => Lines(_key, _keyStride, _keyRowBytes, first, count);

    /// <summary>Gets value rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>), those that exist, to be asked for a line at a time.</summary>
    /// <param name="first">The first row.</param>
    /// <param name="count">The number of rows.</param>
    /// <returns>The rows' lines.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public NextTileLines ValueLines(int first, int count) => Lines(_value, _valueStride, _valueRowBytes, first, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private NextTileLines Lines(byte* origin, nint stride, int rowBytes, int first, int count) =>
        new(origin + (first * stride), stride, rowBytes, Math.Max(0, Math.Min(first + count, _rows) - first));

    private static void PrefetchRow(byte* row, int bytes)
    {
        for (int offset = 0; offset < bytes; offset += LineBytes)
        {
            Sse.Prefetch0(row + offset);
        }
    }
}
