using System;
using System.Globalization;
using System.Linq;

namespace NativeAttention;

/// <summary>
/// The shape of a tensor in device memory: lengths and strides in elements plus an element offset into a buffer.
/// Validation needs no GPU, so bad shapes are rejected before any allocation.
/// </summary>
/// <remarks>
/// Strides must be non-negative and must not make two indices address the same element (no broadcast), because
/// a device tensor can be a copy destination or a kernel output.
/// </remarks>
public sealed class DeviceTensorLayout
{
    private readonly nint[] _lengths;
    private readonly nint[] _strides;

    private DeviceTensorLayout(nint[] lengths, nint[] strides, long offset, long flattenedLength, long span)
    {
        _lengths = lengths;
        _strides = strides;
        Offset = offset;
        FlattenedLength = flattenedLength;
        ElementSpan = span;
        IsRowMajorContiguous = IsRowMajor(lengths, strides);
    }

    /// <summary>Gets the length of each dimension.</summary>
    public ReadOnlySpan<nint> Lengths => _lengths;

    /// <summary>Gets the stride of each dimension, in elements.</summary>
    public ReadOnlySpan<nint> Strides => _strides;

    /// <summary>Gets the number of dimensions.</summary>
    public int Rank => _lengths.Length;

    /// <summary>Gets the element offset of index (0, …, 0) in the buffer.</summary>
    public long Offset { get; }

    /// <summary>Gets the number of elements (the product of the lengths).</summary>
    public long FlattenedLength { get; }

    /// <summary>Gets the number of buffer elements from index (0, …, 0) to the last addressed element, inclusive (0 when empty).</summary>
    public long ElementSpan { get; }

    /// <summary>Gets the smallest buffer length that holds this layout: <see cref="Offset"/> + <see cref="ElementSpan"/>.</summary>
    public long RequiredBufferLength => Offset + ElementSpan;

    /// <summary>Gets whether the elements are packed in row-major order with no gaps (dimensions of length 1 ignored).</summary>
    public bool IsRowMajorContiguous { get; }

    /// <summary>Creates a packed row-major layout.</summary>
    /// <param name="lengths">The length of each dimension; at least one dimension, each length non-negative.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="ArgumentException">A length is negative, there are no dimensions, or the element count overflows.</exception>
    public static DeviceTensorLayout RowMajor(ReadOnlySpan<nint> lengths)
    {
        ValidateLengths(lengths);
        var strides = new nint[lengths.Length];
        long stride = 1;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            strides[i] = (nint)stride;
            stride = CheckedProduct(stride, Math.Max((long)lengths[i], 1), lengths);
        }

        return Create(lengths, strides, 0);
    }

    /// <summary>Creates a layout with explicit strides.</summary>
    /// <param name="lengths">The length of each dimension; at least one dimension, each length non-negative.</param>
    /// <param name="strides">One non-negative stride per dimension, in elements, with no two indices addressing the same element.</param>
    /// <param name="offset">The element offset of index (0, …, 0); non-negative.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="ArgumentException">A length, stride or offset is invalid; the message names the argument, the expected and the actual value.</exception>
    public static DeviceTensorLayout Create(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, long offset = 0)
    {
        ValidateLengths(lengths);
        if (strides.Length != lengths.Length)
        {
            throw new ArgumentException(
                $"Expected one stride per dimension ({lengths.Length} for lengths {Format(lengths)}); actual {strides.Length}: {Format(strides)}.",
                nameof(strides));
        }

        for (int i = 0; i < strides.Length; i++)
        {
            if (strides[i] < 0)
            {
                throw new ArgumentException(
                    $"Expected strides[{i}] >= 0 (negative strides are not supported); actual {strides[i]} in {Format(strides)}.", nameof(strides));
            }
        }

        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Expected an element offset >= 0; actual {offset}.");
        }

        long count = 1;
        long lastIndex = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            count = CheckedProduct(count, lengths[i], lengths);
            if (lengths[i] > 0)
            {
                lastIndex = CheckedSum(lastIndex, CheckedProduct(lengths[i] - 1, strides[i], lengths), lengths);
            }
        }

        ValidateNoOverlap(lengths, strides);
        long span = count == 0 ? 0 : lastIndex + 1;
        CheckedSum(offset, span, lengths);
        return new DeviceTensorLayout(lengths.ToArray(), strides.ToArray(), offset, count, span);
    }

    /// <summary>Throws when <paramref name="otherLengths"/> differ from <see cref="Lengths"/>.</summary>
    /// <param name="otherLengths">The lengths of the other tensor, e.g. a host view.</param>
    /// <param name="parameterName">The name of the argument that holds the other tensor.</param>
    /// <exception cref="ArgumentException">The lengths differ; the message shows both.</exception>
    public void ValidateSameLengths(ReadOnlySpan<nint> otherLengths, string parameterName)
    {
        if (!otherLengths.SequenceEqual(_lengths))
        {
            throw new ArgumentException($"Expected lengths {Format(_lengths)}; actual {Format(otherLengths)}.", parameterName);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"lengths {Format(_lengths)}, strides {Format(_strides)}, offset {Offset}";

    internal static string Format(ReadOnlySpan<nint> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            parts[i] = values[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    private static void ValidateLengths(ReadOnlySpan<nint> lengths)
    {
        if (lengths.Length == 0)
        {
            throw new ArgumentException("Expected at least one dimension; actual rank 0.", nameof(lengths));
        }

        for (int i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 0)
            {
                throw new ArgumentException($"Expected lengths[{i}] >= 0; actual {lengths[i]} in {Format(lengths)}.", nameof(lengths));
            }
        }
    }

    private static void ValidateNoOverlap(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        nint[] lengthCopy = lengths.ToArray();
        nint[] strideCopy = strides.ToArray();
        int[] order = Enumerable.Range(0, lengthCopy.Length).Where(i => lengthCopy[i] > 1).ToArray();
        Array.Sort(order, (a, b) => strideCopy[a].CompareTo(strideCopy[b]));
        long required = 1;
        int previous = -1;
        foreach (int dimension in order)
        {
            if (strides[dimension] < required)
            {
                string reason = previous < 0
                    ? $"dimension {dimension} has length {lengths[dimension]} and stride 0, which repeats one element (broadcast)"
                    : $"dimension {dimension} (length {lengths[dimension]}, stride {strides[dimension]}) needs a stride >= {required} "
                      + $"to step over dimension {previous} (length {lengths[previous]}, stride {strides[previous]})";
                throw new ArgumentException(
                    $"Expected strides that address each element once for lengths {Format(lengths)}; actual {Format(strides)}: {reason}.",
                    nameof(strides));
            }

            required = (long)strides[dimension] * lengths[dimension];
            previous = dimension;
        }
    }

    private static bool IsRowMajor(nint[] lengths, nint[] strides)
    {
        long expected = 1;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            if (lengths[i] != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= lengths[i];
        }

        return true;
    }

    private static long CheckedProduct(long a, long b, ReadOnlySpan<nint> lengths)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Expected an element count that fits in 64 bits; lengths {Format(lengths)} overflow.", nameof(lengths));
        }
    }

    private static long CheckedSum(long a, long b, ReadOnlySpan<nint> lengths)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Expected an element span that fits in 64 bits; lengths {Format(lengths)} overflow.", nameof(lengths));
        }
    }
}
