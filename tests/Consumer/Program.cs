using System;
using System.Numerics.Tensors;
using NativeAttention;

namespace Consumer;

/// <summary>Runs the consumer's spec on small CPU inputs and checks it against a direct computation.</summary>
internal static class Program
{
    private const int Batch = 2, Heads = 3, SeqQ = 5, SeqKV = 9, HeadDim = 8, ValueDim = 6, Window = 4;
    private const float Temperature = 1.5f;

    private static int Main()
    {
        var rng = new Random(7);
        float[] query = Random(rng, Batch * Heads * SeqQ * HeadDim);
        float[] key = Random(rng, Batch * Heads * SeqKV * HeadDim);
        float[] value = Random(rng, Batch * Heads * SeqKV * ValueDim);
        float[] headBias = Random(rng, Heads);
        float[] output = new float[Batch * Heads * SeqQ * ValueDim];
        Array.Fill(output, float.NaN);

        WindowedBias.Forward(
            new ReadOnlyTensorSpan<float>(query, [Batch, Heads, SeqQ, HeadDim]),
            new ReadOnlyTensorSpan<float>(key, [Batch, Heads, SeqKV, HeadDim]),
            new ReadOnlyTensorSpan<float>(value, [Batch, Heads, SeqKV, ValueDim]),
            new TensorSpan<float>(output, [Batch, Heads, SeqQ, ValueDim]),
            headBias,
            Temperature,
            Window);

        double[] expected = Reference(query, key, value, headBias);
        double worst = 0;
        for (int i = 0; i < output.Length; i++)
        {
            double error = Math.Abs(output[i] - expected[i]);
            if (!(error <= 1e-4))
            {
                Console.Error.WriteLine($"output[{i}] = {output[i]}, expected {expected[i]}");
                return 1;
            }

            worst = Math.Max(worst, error);
        }

        if (!WindowedBias.Descriptor.HasScoreMod || !WindowedBias.Descriptor.HasMaskMod || WindowedBias.Descriptor.Captures.Count != 3
            || !WindowedBias.CudaSource.Contains("na_mask_mod", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("The generated descriptor does not describe the spec.");
            return 1;
        }

        Console.WriteLine($"NativeAttention consumer OK: {output.Length} outputs match the direct computation (max error {worst:E2}).");
        return 0;
    }

    // Softmax attention written out directly in double: queries sit at the bottom right (position i + SeqKV - SeqQ).
    private static double[] Reference(float[] query, float[] key, float[] value, float[] headBias)
    {
        var result = new double[Batch * Heads * SeqQ * ValueDim];
        double scale = 1 / Math.Sqrt(HeadDim);
        var scores = new double[SeqKV];
        for (int b = 0; b < Batch; b++)
        {
            for (int h = 0; h < Heads; h++)
            {
                int bh = (b * Heads) + h;
                for (int i = 0; i < SeqQ; i++)
                {
                    int position = i + SeqKV - SeqQ;
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < SeqKV; j++)
                    {
                        if (!(j <= position && position - j < Window))
                        {
                            scores[j] = double.NegativeInfinity;
                            continue;
                        }

                        double dot = 0;
                        for (int d = 0; d < HeadDim; d++)
                        {
                            dot += (double)query[(((bh * SeqQ) + i) * HeadDim) + d] * key[(((bh * SeqKV) + j) * HeadDim) + d];
                        }

                        scores[j] = (dot * scale / Temperature) + headBias[h];
                        max = Math.Max(max, scores[j]);
                    }

                    double sum = 0;
                    for (int j = 0; j < SeqKV; j++)
                    {
                        scores[j] = double.IsNegativeInfinity(scores[j]) ? 0 : Math.Exp(scores[j] - max);
                        sum += scores[j];
                    }

                    for (int e = 0; e < ValueDim; e++)
                    {
                        double acc = 0;
                        for (int j = 0; j < SeqKV; j++)
                        {
                            acc += scores[j] * value[(((bh * SeqKV) + j) * ValueDim) + e];
                        }

                        result[(((bh * SeqQ) + i) * ValueDim) + e] = sum == 0 ? 0 : acc / sum;
                    }
                }
            }
        }

        return result;
    }

    private static float[] Random(Random rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return values;
    }
}
