using System;
using System.Numerics.Tensors;
using System.Threading.Tasks;

namespace NativeAttention.Bench;

/// <summary>
/// The unfused baseline: per (batch, head) the whole [seqQ, seqKV] score matrix is materialized with
/// <see cref="TensorPrimitives"/> dot products, softmaxed row by row (max subtracted by hand) and multiplied into the
/// values; heads run in parallel. float32, dense or causal; the score matrices of all heads stay allocated between calls.
/// </summary>
internal sealed class UnfusedAttention
{
    private readonly float[] _query;
    private readonly float[] _key;
    private readonly float[] _value;
    private readonly float[] _output;
    private readonly float[][] _scores;

    /// <summary>Creates random tensors of one shape (query heads equal key/value heads) and the score matrices.</summary>
    public UnfusedAttention(MaskKind mask, int heads, int seq, int dim)
    {
        Mask = mask;
        Heads = heads;
        Seq = seq;
        Dim = dim;
        var random = new Random(99);
        _query = RandomArray(random, heads * seq * dim);
        _key = RandomArray(random, heads * seq * dim);
        _value = RandomArray(random, heads * seq * dim);
        _output = new float[heads * seq * dim];
        _scores = new float[heads][];
        for (int h = 0; h < heads; h++)
        {
            _scores[h] = new float[seq * seq];
        }
    }

    /// <summary>Gets the variant.</summary>
    public MaskKind Mask { get; }

    /// <summary>Gets the heads (batch 1).</summary>
    public int Heads { get; }

    /// <summary>Gets the sequence length.</summary>
    public int Seq { get; }

    /// <summary>Gets the head dim.</summary>
    public int Dim { get; }

    /// <summary>Gets the useful flops of one call, counted as for the fused kernel.</summary>
    public double Flops => 4.0 * AttentionWorkload.KeptPairs(Mask, Heads, Seq, Seq) * Dim;

    /// <summary>Runs one call, heads in parallel on at most <paramref name="threads"/> threads.</summary>
    /// <param name="threads">The thread limit.</param>
    public void Run(int threads) =>
        Parallel.For(0, Heads, new ParallelOptions { MaxDegreeOfParallelism = threads }, RunHead);

    private void RunHead(int head)
    {
        int seq = Seq;
        int dim = Dim;
        float scale = 1f / MathF.Sqrt(dim);
        ReadOnlySpan<float> queries = _query.AsSpan(head * seq * dim, seq * dim);
        ReadOnlySpan<float> keys = _key.AsSpan(head * seq * dim, seq * dim);
        ReadOnlySpan<float> values = _value.AsSpan(head * seq * dim, seq * dim);
        Span<float> outputs = _output.AsSpan(head * seq * dim, seq * dim);
        float[] scores = _scores[head];
        for (int i = 0; i < seq; i++)
        {
            ReadOnlySpan<float> query = queries.Slice(i * dim, dim);
            Span<float> row = scores.AsSpan(i * seq, Kept(i));
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = TensorPrimitives.Dot(query, keys.Slice(j * dim, dim));
            }
        }

        for (int i = 0; i < seq; i++)
        {
            Span<float> row = scores.AsSpan(i * seq, Kept(i));
            TensorPrimitives.Multiply(row, scale, row);
            TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
        }

        for (int i = 0; i < seq; i++)
        {
            ReadOnlySpan<float> row = scores.AsSpan(i * seq, Kept(i));
            Span<float> output = outputs.Slice(i * dim, dim);
            output.Clear();
            for (int j = 0; j < row.Length; j++)
            {
                TensorPrimitives.MultiplyAdd(values.Slice(j * dim, dim), row[j], output, output);
            }
        }
    }

    private int Kept(int query) => Mask == MaskKind.Dense ? Seq : query + 1;

    private static float[] RandomArray(Random random, int length)
    {
        var array = new float[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2f;
        }

        return array;
    }
}
