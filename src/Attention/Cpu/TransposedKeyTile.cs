using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>
/// Packs a key tile as Kᵀ [dim × keys] so that the score product broadcasts query elements against contiguous vectors
/// of keys. Columns are padded with zeros to a multiple of <see cref="ColumnMultiple"/>, the widest vector, or to the
/// packed stride where that is narrower (the column path's queries on 256-bit vectors, padded to a multiple of 8), so
/// the product runs on whole vectors only; the padded scores are 0 and lie beyond the keys the softmax reads. The
/// column path transposes its queries, its output and the scores of masked tiles with the same routine.
/// </summary>
internal static unsafe class TransposedKeyTile
{
    /// <summary>The multiple the packed columns are padded to: floats in one 512-bit vector.</summary>
    public const int ColumnMultiple = 16;

    /// <summary>Gets the padded column count for <paramref name="keys"/> keys.</summary>
    /// <param name="keys">The number of keys.</param>
    /// <returns><paramref name="keys"/> rounded up to <see cref="ColumnMultiple"/>.</returns>
    public static int PaddedColumns(int keys) => (keys + ColumnMultiple - 1) / ColumnMultiple * ColumnMultiple;

    /// <summary>Writes packed[d, j] = rows[j, d], and zeros in the padding columns.</summary>
    /// <param name="rows">The first key row.</param>
    /// <param name="rowStride">The distance in floats between key rows.</param>
    /// <param name="keys">The number of key rows.</param>
    /// <param name="dim">The features per key.</param>
    /// <param name="packed">The first packed row, of <see cref="PaddedColumns"/> floats each or the stride, whichever is fewer.</param>
    /// <param name="packedStride">The distance in floats between packed rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* rows, nint rowStride, int keys, int dim, float* packed, nint packedStride)
    {
        int j = 0;
        for (; j + 4 <= keys; j += 4)
        {
            float* row0 = rows + (j * rowStride);
            float* row1 = row0 + rowStride;
            float* row2 = row1 + rowStride;
            float* row3 = row2 + rowStride;
            float* destination = packed + j;
            int d = 0;
            if (Sse.IsSupported)
            {
                // 4×4 blocks through registers: four loads and four stores per sixteen floats instead of sixteen of each.
                for (; d + 4 <= dim; d += 4, destination += 4 * packedStride)
                {
                    Vector128<float> r0 = Sse.LoadVector128(row0 + d);
                    Vector128<float> r1 = Sse.LoadVector128(row1 + d);
                    Vector128<float> r2 = Sse.LoadVector128(row2 + d);
                    Vector128<float> r3 = Sse.LoadVector128(row3 + d);
                    Vector128<float> low01 = Sse.UnpackLow(r0, r1);
                    Vector128<float> low23 = Sse.UnpackLow(r2, r3);
                    Vector128<float> high01 = Sse.UnpackHigh(r0, r1);
                    Vector128<float> high23 = Sse.UnpackHigh(r2, r3);
                    Sse.Store(destination, Sse.MoveLowToHigh(low01, low23));
                    Sse.Store(destination + packedStride, Sse.MoveHighToLow(low23, low01));
                    Sse.Store(destination + (2 * packedStride), Sse.MoveLowToHigh(high01, high23));
                    Sse.Store(destination + (3 * packedStride), Sse.MoveHighToLow(high23, high01));
                }
            }

            for (; d < dim; d++, destination += packedStride)
            {
                destination[0] = row0[d];
                destination[1] = row1[d];
                destination[2] = row2[d];
                destination[3] = row3[d];
            }
        }

        for (; j < keys; j++)
        {
            float* row = rows + (j * rowStride);
            float* destination = packed + j;
            for (int d = 0; d < dim; d++, destination += packedStride)
            {
                *destination = row[d];
            }
        }

        int padding = (int)Math.Min(PaddedColumns(keys), packedStride) - keys;
        if (padding > 0)
        {
            for (int d = 0; d < dim; d++)
            {
                new Span<float>(packed + (d * packedStride) + keys, padding).Clear();
            }
        }
    }
}
