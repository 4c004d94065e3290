using System;
using System.Numerics.Tensors;

namespace NativeAttention.Tests.Support;

/// <summary>A rank-4 [batch, heads, seq, dim] test tensor over a managed array, in one of several layouts.</summary>
public sealed class TestTensor<T>
    where T : unmanaged
{
    private const int RowPadding = 5;

    private TestTensor(T[] data, nint[] lengths, nint[] strides)
    {
        Data = data;
        Lengths = lengths;
        Strides = strides;
    }

    public T[] Data { get; }

    public nint[] Lengths { get; }

    public nint[] Strides { get; }

    public ReadOnlyTensorSpan<T> ReadOnly =>
        IsEmpty ? new ReadOnlyTensorSpan<T>(Data, Lengths) : new ReadOnlyTensorSpan<T>(Data, Lengths, Strides);

    public TensorSpan<T> Span => IsEmpty ? new TensorSpan<T>(Data, Lengths) : new TensorSpan<T>(Data, Lengths, Strides);

    private bool IsEmpty => Array.IndexOf(Lengths, (nint)0) >= 0;

    public static TestTensor<T> Create(int batch, int heads, int seq, int dim, TensorLayout layout)
    {
        nint[] lengths = [batch, heads, seq, dim];
        (nint[] strides, long size) = layout switch
        {
            TensorLayout.Bhsd => (new nint[] { (nint)heads * seq * dim, (nint)seq * dim, dim, 1 }, (long)batch * heads * seq * dim),
            TensorLayout.Bshd => (new nint[] { (nint)seq * heads * dim, dim, (nint)heads * dim, 1 }, (long)batch * seq * heads * dim),
            TensorLayout.PaddedRows => (
                new nint[] { (nint)heads * seq * (dim + RowPadding), (nint)seq * (dim + RowPadding), dim + RowPadding, 1 },
                (long)batch * heads * seq * (dim + RowPadding)),
            _ => throw new ArgumentOutOfRangeException(nameof(layout)),
        };

        for (int dimension = 0; dimension < lengths.Length; dimension++)
        {
            // System.Numerics.Tensors 10 rejects a nonzero stride on a dimension of length 1.
            if (lengths[dimension] == 1)
            {
                strides[dimension] = 0;
            }
        }

        return new TestTensor<T>(new T[size], lengths, strides);
    }

    public TestTensor<T> FillRandom(Random random)
    {
        for (int i = 0; i < Data.Length; i++)
        {
            // Sum of uniforms: roughly normal, bounded, and cheap.
            double sample = random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5;
            Data[i] = Elements.FromDouble<T>(sample * 2.0);
        }

        return this;
    }

    public TestTensor<T> Fill(double value)
    {
        Array.Fill(Data, Elements.FromDouble<T>(value));
        return this;
    }

    public long Offset(int batch, int head, int row, int feature) =>
        (batch * Strides[0]) + (head * Strides[1]) + (row * Strides[2]) + feature;

    public double At(int batch, int head, int row, int feature) => Elements.ToDouble(Data[Offset(batch, head, row, feature)]);

    public void Set(int batch, int head, int row, int feature, double value) =>
        Data[Offset(batch, head, row, feature)] = Elements.FromDouble<T>(value);
}
