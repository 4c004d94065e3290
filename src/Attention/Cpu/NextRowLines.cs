using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>
/// The cache lines of one key row and one value row of the next key tile, asked for one line of each at a time, so that
/// a product can spread its requests evenly over its steps instead of issuing them in bursts (<see cref="NextKeyTile.RowLines"/>).
/// </summary>
internal unsafe struct NextRowLines
{
    private const int LineBytes = 64;

    private byte* _key;
    private readonly byte* _keyEnd;
    private byte* _value;
    private readonly byte* _valueEnd;

    /// <summary>Describes one key row and one value row.</summary>
    /// <param name="key">The key row.</param>
    /// <param name="keyBytes">Its bytes.</param>
    /// <param name="value">The value row.</param>
    /// <param name="valueBytes">Its bytes.</param>
    public NextRowLines(byte* key, int keyBytes, byte* value, int valueBytes)
    {
        _key = key;
        _keyEnd = key + keyBytes;
        _value = value;
        _valueEnd = value + valueBytes;
    }

    /// <summary>Asks for the next line of the key row and the next line of the value row, those that remain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchNext()
    {
        if (_key < _keyEnd)
        {
            Sse.Prefetch0(_key);
            _key += LineBytes;
        }

        if (_value < _valueEnd)
        {
            Sse.Prefetch0(_value);
            _value += LineBytes;
        }
    }

    /// <summary>Asks for every line of both rows not yet asked for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchRest()
    {
        for (; _key < _keyEnd; _key += LineBytes)
        {
            Sse.Prefetch0(_key);
        }

        for (; _value < _valueEnd; _value += LineBytes)
        {
            Sse.Prefetch0(_value);
        }
    }
}
