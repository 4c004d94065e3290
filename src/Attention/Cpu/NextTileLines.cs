using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>
/// Some rows of the next key tile's keys or values, asked for one cache line at a time, so that a product can spread its
/// requests evenly over its steps instead of issuing them in bursts (<see cref="NextKeyTile.KeyLines"/>,
/// <see cref="NextKeyTile.ValueLines"/>). A core holds a request that misses every cache for the whole memory latency;
/// a burst of them fills its miss buffers and stalls the loads behind it, where one request per step does not.
/// </summary>
internal unsafe struct NextTileLines
{
    private const int LineBytes = 64;

    private readonly nint _stride;
    private readonly int _rowBytes;
    private byte* _line;
    private byte* _rowEnd;
    private int _rowsLeft;

    /// <summary>Describes <paramref name="rows"/> rows, the first at <paramref name="first"/>.</summary>
    /// <param name="first">The first row.</param>
    /// <param name="stride">The distance in bytes between rows.</param>
    /// <param name="rowBytes">The bytes of one row.</param>
    /// <param name="rows">The number of rows; 0 for none.</param>
    public NextTileLines(byte* first, nint stride, int rowBytes, int rows)
    {
        _stride = stride;
        _rowBytes = rowBytes;
        _line = first;
        _rowEnd = rows > 0 ? first + rowBytes : first;
        _rowsLeft = rows > 0 ? rows - 1 : 0;
    }

    /// <summary>Gets the number of lines not yet taken.</summary>
    public readonly int Remaining
    {
        get
        {
            int linesPerRow = (_rowBytes + LineBytes - 1) / LineBytes;
            int inRow = _line < _rowEnd ? (int)((_rowEnd - _line + LineBytes - 1) / LineBytes) : 0;
            return inRow + (_rowsLeft * linesPerRow);
        }
    }

    /// <summary>Asks for the next line not yet asked for, if any remains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchNext()
    {
        if (TryTake(out byte* line))
        {
            Sse.Prefetch0(line);
        }
    }

    /// <summary>Asks for every line not yet asked for.</summary>
    public void PrefetchRest()
    {
        while (TryTake(out byte* line))
        {
            Sse.Prefetch0(line);
        }
    }

    /// <summary>Takes the next line not yet taken: the rows' lines in order, each row's from its start.</summary>
    /// <param name="line">The line's address, or null when none remains.</param>
    /// <returns>Whether a line remained.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTake(out byte* line)
    {
        if (_line >= _rowEnd)
        {
            if (_rowsLeft == 0)
            {
                line = null;
                return false;
            }

            _rowsLeft--;
            _line = _rowEnd - _rowBytes + _stride;
            _rowEnd = _line + _rowBytes;
        }

        line = _line;
        _line += LineBytes;
        return true;
    }
}
