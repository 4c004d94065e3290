using System;
using System.Buffers;
using System.Numerics.Tensors;

namespace NativeAttention;

/// <summary>
/// The plain, obviously correct attention forward pass that every kernel is tested against: it materializes each
/// (batch, head)'s score matrix and accumulates in <see cref="double"/>. Slow by design; never use it for speed.
/// </summary>
/// <remarks>
/// Same contract as <see cref="CpuAttention.Forward{T, TMods}"/>: layout and strides, bottom-right alignment
/// (query i sits at absolute position i + seqKV − seqQ), the score mod sees q·k·scale rounded to <see cref="float"/>,
/// masked pairs contribute nothing, and a row whose every key is masked gets zeros and a log-sum-exp of negative
/// infinity.
/// </remarks>
public static unsafe class ReferenceAttention
{
    /// <summary>Runs attention with the mods of one spec, in float64.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="Half"/> or <see cref="BFloat16"/>.</typeparam>
    /// <typeparam name="TMods">The spec's mod struct.</typeparam>
    /// <param name="query">[batch, heads, seqQ, headDim], last dimension contiguous.</param>
    /// <param name="key">[batch, kvHeads, seqKV, headDim], last dimension contiguous.</param>
    /// <param name="value">[batch, kvHeads, seqKV, valueDim], last dimension contiguous.</param>
    /// <param name="output">[batch, heads, seqQ, valueDim], last dimension contiguous.</param>
    /// <param name="mods">The spec's mods with their captures.</param>
    /// <param name="options">Scale and log-sum-exp output; null for the defaults. Parallelism is ignored.</param>
    /// <exception cref="ArgumentException">The shapes, strides, options or captures do not fit together.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public static void Forward<T, TMods>(
        ReadOnlyTensorSpan<T> query,
        ReadOnlyTensorSpan<T> key,
        ReadOnlyTensorSpan<T> value,
        TensorSpan<T> output,
        in TMods mods,
        AttentionOptions? options)
        where T : unmanaged
        where TMods : struct, IAttentionMods
    {
        AttentionShape shape = AttentionArgumentValidator.Validate(query, key, value, output, mods, options);
        if (shape.QueryRows == 0)
        {
            return;
        }

        double scale = options?.Scale is float given ? given : 1.0 / Math.Sqrt(shape.HeadDim);
        var scores = new double[(long)shape.SeqQ * shape.SeqKV];
        var weighted = new double[shape.ValueDim];
        using MemoryHandle logSumExpHandle = options is null ? default : options.LogSumExp.Pin();
        float* logSumExp = (float*)logSumExpHandle.Pointer;

        fixed (T* q = query)
        fixed (T* k = key)
        fixed (T* v = value)
        fixed (T* o = output)
        {
            MemoryOverlap.ThrowIfOutputOverlaps(o, output.Lengths, output.Strides, q, query.Lengths, query.Strides, nameof(query));
            MemoryOverlap.ThrowIfOutputOverlaps(o, output.Lengths, output.Strides, k, key.Lengths, key.Strides, nameof(key));
            MemoryOverlap.ThrowIfOutputOverlaps(o, output.Lengths, output.Strides, v, value.Lengths, value.Strides, nameof(value));
            ReadOnlySpan<nint> qs = query.Strides, ks = key.Strides, vs = value.Strides, os = output.Strides;

            for (int b = 0; b < shape.Batch; b++)
            {
                for (int h = 0; h < shape.Heads; h++)
                {
                    int kvh = h / (shape.Heads / shape.KvHeads);

                    for (int i = 0; i < shape.SeqQ; i++)
                    {
                        int position = i + shape.SeqKV - shape.SeqQ;
                        T* queryRow = q + (b * qs[0]) + (h * qs[1]) + (i * qs[2]);
                        for (int j = 0; j < shape.SeqKV; j++)
                        {
                            T* keyRow = k + (b * ks[0]) + (kvh * ks[1]) + (j * ks[2]);
                            double dot = 0;
                            for (int d = 0; d < shape.HeadDim; d++)
                            {
                                dot += ToDouble(queryRow[d]) * ToDouble(keyRow[d]);
                            }

                            double score = dot * scale;
                            bool kept = !TMods.HasMaskMod || mods.Mask(b, h, position, j);
                            if (kept && TMods.HasScoreMod)
                            {
                                score = mods.Score((float)score, b, h, position, j);
                            }

                            scores[((long)i * shape.SeqKV) + j] = kept ? score : double.NegativeInfinity;
                        }
                    }

                    for (int i = 0; i < shape.SeqQ; i++)
                    {
                        var row = new ReadOnlySpan<double>(scores, i * shape.SeqKV, shape.SeqKV);
                        double max = double.NegativeInfinity;
                        foreach (double score in row)
                        {
                            max = Math.Max(max, score);
                        }

                        double sum = 0;
                        Array.Clear(weighted);
                        if (max != double.NegativeInfinity)
                        {
                            for (int j = 0; j < shape.SeqKV; j++)
                            {
                                if (row[j] == double.NegativeInfinity)
                                {
                                    continue;
                                }

                                double weight = Math.Exp(row[j] - max);
                                sum += weight;
                                T* valueRow = v + (b * vs[0]) + (kvh * vs[1]) + (j * vs[2]);
                                for (int d = 0; d < shape.ValueDim; d++)
                                {
                                    weighted[d] += weight * ToDouble(valueRow[d]);
                                }
                            }
                        }

                        T* outputRow = o + (b * os[0]) + (h * os[1]) + (i * os[2]);
                        for (int d = 0; d < shape.ValueDim; d++)
                        {
                            outputRow[d] = FromDouble<T>(sum == 0 ? 0 : weighted[d] / sum);
                        }

                        if (logSumExp != null)
                        {
                            logSumExp[(((long)b * shape.Heads + h) * shape.SeqQ) + i] =
                                max == double.NegativeInfinity ? float.NegativeInfinity : (float)(max + Math.Log(sum));
                        }
                    }
                }
            }
        }
    }

    private static double ToDouble<T>(T element)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return (float)(object)element;
        }

        if (typeof(T) == typeof(Half))
        {
            return (double)(Half)(object)element;
        }

        return (double)(BFloat16)(object)element;
    }

    private static T FromDouble<T>(double value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return (T)(object)(float)value;
        }

        if (typeof(T) == typeof(Half))
        {
            return (T)(object)(Half)value;
        }

        return (T)(object)(BFloat16)value;
    }
}
