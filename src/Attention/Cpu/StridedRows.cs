using System;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>A pinned rank-4 tensor [batch, head, row, feature] whose feature dimension is contiguous.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly unsafe struct StridedRows<T>
    where T : unmanaged
{
    private readonly T* _origin;
    private readonly nint _batchStride;
    private readonly nint _headStride;

    /// <summary>Wraps pinned memory.</summary>
    /// <param name="origin">The element [0, 0, 0, 0].</param>
    /// <param name="strides">The four strides in elements; the last is 1.</param>
    public StridedRows(T* origin, ReadOnlySpan<nint> strides)
    {
        _origin = origin;
        _batchStride = strides[0];
        _headStride = strides[1];
        RowStride = strides[2];
    }

    /// <summary>Gets the distance in elements between consecutive rows of one head.</summary>
    public nint RowStride { get; }

    /// <summary>Gets the first element of row <paramref name="row"/> of head <paramref name="head"/> in batch <paramref name="batch"/>.</summary>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The head index.</param>
    /// <param name="row">The row (sequence) index.</param>
    /// <returns>A pointer to the row's first feature.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T* Row(int batch, int head, int row) => _origin + (batch * _batchStride) + (head * _headStride) + (row * RowStride);
}
