using System;

namespace NativeAttention.Tests.Gpu;

/// <summary>
/// A float64 attention reference over packed [batch, heads, seq, dim] doubles, driven by a spec's CPU mods: the
/// score mod sees q·k·scale rounded to float, query i sits at position i + seqKV − seqQ, fully masked rows give zeros
/// and a log-sum-exp of negative infinity.
/// </summary>
internal static class GpuTestReference
{
    public static void Forward<TMods>(
        in TMods mods, GpuTestCase shape, double[] query, double[] key, double[] value, double scale, double[] output, double[] logSumExp)
        where TMods : struct, IAttentionMods
    {
        int group = shape.Heads / shape.KvHeads;
        var scores = new double[shape.SeqKV];
        var kept = new bool[shape.SeqKV];
        for (int b = 0; b < shape.Batch; b++)
        {
            for (int h = 0; h < shape.Heads; h++)
            {
                int kvHead = h / group;
                for (int i = 0; i < shape.SeqQ; i++)
                {
                    int position = i + shape.SeqKV - shape.SeqQ;
                    long queryRow = ((((long)b * shape.Heads) + h) * shape.SeqQ) + i;
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < shape.SeqKV; j++)
                    {
                        kept[j] = !TMods.HasMaskMod || mods.Mask(b, h, position, j);
                        if (!kept[j])
                        {
                            continue;
                        }

                        long keyRow = ((((long)b * shape.KvHeads) + kvHead) * shape.SeqKV) + j;
                        double dot = 0;
                        for (int d = 0; d < shape.HeadDim; d++)
                        {
                            dot += query[(queryRow * shape.HeadDim) + d] * key[(keyRow * shape.HeadDim) + d];
                        }

                        float score = (float)(dot * scale);
                        scores[j] = TMods.HasScoreMod ? mods.Score(score, b, h, position, j) : score;
                        max = Math.Max(max, scores[j]);
                    }

                    Span<double> row = output.AsSpan((int)(queryRow * shape.ValueDim), shape.ValueDim);
                    row.Clear();
                    if (double.IsNegativeInfinity(max))
                    {
                        logSumExp[queryRow] = double.NegativeInfinity;
                        continue;
                    }

                    double sum = 0;
                    for (int j = 0; j < shape.SeqKV; j++)
                    {
                        if (!kept[j])
                        {
                            continue;
                        }

                        double weight = Math.Exp(scores[j] - max);
                        sum += weight;
                        long valueRow = ((((long)b * shape.KvHeads) + kvHead) * shape.SeqKV) + j;
                        for (int d = 0; d < shape.ValueDim; d++)
                        {
                            row[d] += weight * value[(valueRow * shape.ValueDim) + d];
                        }
                    }

                    for (int d = 0; d < shape.ValueDim; d++)
                    {
                        row[d] /= sum;
                    }

                    logSumExp[queryRow] = max + Math.Log(sum);
                }
            }
        }
    }
}
