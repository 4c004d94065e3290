using System;
using System.Numerics.Tensors;

namespace NativeAttention.Bench;

/// <summary>
/// One attention shape with random tensors, run through the CPU kernel; knows its own flop count (kept pairs only, so
/// causal counts half) and the bytes of keys and values one call reads.
/// </summary>
internal sealed class AttentionWorkload
{
    private readonly Array _query;
    private readonly Array _key;
    private readonly Array _value;
    private readonly Array _output;
    private AttentionOptions _options = new();

    /// <summary>Creates the tensors, filled with random values in about [−3, 3].</summary>
    public AttentionWorkload(MaskKind mask, ElementKind element, int batch, int heads, int kvHeads, int seqQ, int seqKV, int dim)
    {
        Mask = mask;
        Element = element;
        Batch = batch;
        Heads = heads;
        KvHeads = kvHeads;
        SeqQ = seqQ;
        SeqKV = seqKV;
        Dim = dim;
        var random = new Random(1234);
        _query = Create(random, batch * heads * seqQ * dim);
        _key = Create(random, batch * kvHeads * seqKV * dim);
        _value = Create(random, batch * kvHeads * seqKV * dim);
        _output = Create(random, batch * heads * seqQ * dim);
    }

    /// <summary>Gets the variant.</summary>
    public MaskKind Mask { get; }

    /// <summary>Gets the element type.</summary>
    public ElementKind Element { get; }

    /// <summary>Gets the batch size.</summary>
    public int Batch { get; }

    /// <summary>Gets the query heads.</summary>
    public int Heads { get; }

    /// <summary>Gets the key/value heads.</summary>
    public int KvHeads { get; }

    /// <summary>Gets the queries per head.</summary>
    public int SeqQ { get; }

    /// <summary>Gets the keys per head.</summary>
    public int SeqKV { get; }

    /// <summary>Gets the head dim (keys and values alike).</summary>
    public int Dim { get; }

    /// <summary>Gets the useful flops of one call: 4 · kept (query, key) pairs · dim.</summary>
    public double Flops => 4.0 * KeptPairs(Mask, Batch * (long)Heads, SeqQ, SeqKV) * Dim;

    /// <summary>Gets the bytes of keys and values one call reads at least once.</summary>
    public double KeyValueBytes => 2.0 * Batch * KvHeads * (double)SeqKV * Dim * BytesPerElement(Element);

    /// <summary>Gets the bytes of one tensor element of <paramref name="element"/>.</summary>
    /// <param name="element">The element type.</param>
    /// <returns>4 for fp32, 2 for the 16-bit types.</returns>
    public static int BytesPerElement(ElementKind element) => element == ElementKind.Fp32 ? sizeof(float) : 2;

    /// <summary>Kept (query, key) pairs with bottom-right alignment: query i sits at position i + seqKV − seqQ.</summary>
    public static double KeptPairs(MaskKind mask, long rows, int seqQ, int seqKV)
    {
        if (mask == MaskKind.Dense)
        {
            return (double)rows * seqQ * seqKV;
        }

        double kept = 0;
        for (int i = 0; i < seqQ; i++)
        {
            kept += Math.Clamp(i + seqKV - seqQ + 1, 0, seqKV);
        }

        return rows * kept;
    }

    /// <summary>Runs one forward call on at most <paramref name="threads"/> threads.</summary>
    /// <param name="threads">The thread limit.</param>
    /// <param name="width">The micro-kernels.</param>
    public void Run(int threads, VectorWidth width = VectorWidth.Auto)
    {
        // Kept between calls so that the Allocated column shows the kernel's allocations, not the benchmark's.
        if (_options.MaxDegreeOfParallelism != threads)
        {
            _options = new AttentionOptions { MaxDegreeOfParallelism = threads };
        }

        AttentionOptions options = _options;
        switch (Element)
        {
            case ElementKind.Fp32:
                Run((float[])_query, (float[])_key, (float[])_value, (float[])_output, options, width);
                break;
            case ElementKind.Bf16:
                Run((BFloat16[])_query, (BFloat16[])_key, (BFloat16[])_value, (BFloat16[])_output, options, width);
                break;
            default:
                Run((Half[])_query, (Half[])_key, (Half[])_value, (Half[])_output, options, width);
                break;
        }
    }

    private void Run<T>(T[] query, T[] key, T[] value, T[] output, AttentionOptions options, VectorWidth width)
        where T : unmanaged
    {
        var q = new ReadOnlyTensorSpan<T>(query, [Batch, Heads, SeqQ, Dim]);
        var k = new ReadOnlyTensorSpan<T>(key, [Batch, KvHeads, SeqKV, Dim]);
        var v = new ReadOnlyTensorSpan<T>(value, [Batch, KvHeads, SeqKV, Dim]);
        var o = new TensorSpan<T>(output, [Batch, Heads, SeqQ, Dim]);
        if (Mask == MaskKind.Dense)
        {
            Run(q, k, v, o, new Dense.Mods(), options, width);
        }
        else
        {
            Run(q, k, v, o, new Causal.Mods(), options, width);
        }
    }

    private static void Run<T, TMods>(
        ReadOnlyTensorSpan<T> q, ReadOnlyTensorSpan<T> k, ReadOnlyTensorSpan<T> v, TensorSpan<T> o, TMods mods, AttentionOptions options, VectorWidth width)
        where T : unmanaged
        where TMods : struct, IAttentionMods
    {
        switch (width)
        {
            case VectorWidth.V256:
                CpuAttentionKernel.Forward<T, TMods, Vector256Kernels>(q, k, v, o, mods, options);
                break;
            case VectorWidth.V512:
                CpuAttentionKernel.Forward<T, TMods, Vector512Kernels>(q, k, v, o, mods, options);
                break;
            default:
                // Exactly what every generated Forward overload calls.
                CpuAttention.Forward(q, k, v, o, mods, options);
                break;
        }
    }

    private Array Create(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2f;
        }

        switch (Element)
        {
            case ElementKind.Fp32:
                return values;
            case ElementKind.Bf16:
                var bfloat16 = new BFloat16[length];
                FloatConversions.ToBFloat16(values, bfloat16);
                return bfloat16;
            default:
                var half = new Half[length];
                FloatConversions.ToHalf(values, half);
                return half;
        }
    }
}
