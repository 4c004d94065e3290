using System;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The kernel against the float64 reference on fresh random inputs. The rows are picked to cover every sequence
/// length (1, 17, 128, 129, 1000), head dim (32, 64, 80, 128, 256), dtype, GQA/MQA, seqQ ≠ seqKV both ways, valueDim ≠
/// headDim, strided BSHD and padded layouts and every mask kind, without a full cross product.
/// </summary>
public sealed class CpuAttentionAccuracyTests
{
    [Theory]
    [InlineData(ElementKind.Float, MaskKind.Dense, TensorLayout.Bhsd, 1, 1, 1, 1, 1, 32, 32)]
    [InlineData(ElementKind.Float, MaskKind.Dense, TensorLayout.Bhsd, 1, 1, 1, 17, 1, 32, 32)]
    [InlineData(ElementKind.Float, MaskKind.Causal, TensorLayout.Bhsd, 2, 3, 3, 17, 17, 64, 64)]
    [InlineData(ElementKind.Float, MaskKind.Dense, TensorLayout.Bhsd, 1, 2, 2, 128, 128, 128, 128)]
    [InlineData(ElementKind.Float, MaskKind.SlidingWindow, TensorLayout.Bhsd, 1, 2, 1, 129, 129, 80, 80)]
    [InlineData(ElementKind.Float, MaskKind.Causal, TensorLayout.Bhsd, 1, 2, 1, 1000, 1000, 32, 32)]
    [InlineData(ElementKind.Float, MaskKind.Alibi, TensorLayout.Bhsd, 1, 8, 2, 1, 1000, 128, 128)]
    [InlineData(ElementKind.Float, MaskKind.Causal, TensorLayout.Bhsd, 1, 2, 2, 129, 17, 64, 64)]
    [InlineData(ElementKind.Float, MaskKind.Dense, TensorLayout.Bshd, 2, 4, 2, 17, 128, 64, 32)]
    [InlineData(ElementKind.Float, MaskKind.Causal, TensorLayout.Bhsd, 1, 1, 1, 129, 129, 256, 256)]
    [InlineData(ElementKind.Float, MaskKind.DocumentMask, TensorLayout.Bhsd, 1, 2, 2, 200, 200, 64, 64)]
    [InlineData(ElementKind.Float, MaskKind.BatchDocumentMask, TensorLayout.Bshd, 2, 2, 1, 129, 129, 32, 48)]
    [InlineData(ElementKind.Float, MaskKind.Alibi, TensorLayout.PaddedRows, 1, 4, 2, 33, 65, 64, 64)]
    [InlineData(ElementKind.Float, MaskKind.Causal, TensorLayout.PaddedRows, 1, 2, 2, 1, 1000, 64, 48)]
    [InlineData(ElementKind.Float, MaskKind.Dense, TensorLayout.Bshd, 1, 3, 3, 2, 200, 32, 80)]
    [InlineData(ElementKind.Half, MaskKind.Causal, TensorLayout.Bhsd, 1, 2, 2, 129, 129, 64, 64)]
    [InlineData(ElementKind.Half, MaskKind.Alibi, TensorLayout.Bshd, 1, 4, 1, 17, 1000, 128, 128)]
    [InlineData(ElementKind.Half, MaskKind.Dense, TensorLayout.Bhsd, 2, 2, 2, 1, 17, 80, 80)]
    [InlineData(ElementKind.Half, MaskKind.Dense, TensorLayout.PaddedRows, 1, 2, 2, 17, 17, 32, 64)]
    [InlineData(ElementKind.BFloat16, MaskKind.SlidingWindow, TensorLayout.Bhsd, 1, 1, 1, 1000, 1000, 64, 64)]
    [InlineData(ElementKind.BFloat16, MaskKind.Causal, TensorLayout.Bshd, 2, 4, 2, 128, 128, 256, 256)]
    [InlineData(ElementKind.BFloat16, MaskKind.DocumentMask, TensorLayout.Bhsd, 1, 2, 1, 129, 129, 32, 32)]
    [InlineData(ElementKind.BFloat16, MaskKind.Dense, TensorLayout.Bhsd, 1, 3, 1, 128, 17, 128, 128)]
    public void MatchesReference(
        ElementKind element, MaskKind mask, TensorLayout layout, int batch, int heads, int kvHeads, int seqQ, int seqKV, int headDim, int valueDim)
    {
        int seed = HashCode.Combine(element, mask, layout, batch, heads, seqQ, seqKV, headDim);
        switch (element)
        {
            case ElementKind.Float:
                Check(AttentionProblem<float>.Random(seed, batch, heads, kvHeads, seqQ, seqKV, headDim, valueDim, layout), mask, seed);
                break;
            case ElementKind.Half:
                Check(AttentionProblem<Half>.Random(seed, batch, heads, kvHeads, seqQ, seqKV, headDim, valueDim, layout), mask, seed);
                break;
            default:
                Check(AttentionProblem<BFloat16>.Random(seed, batch, heads, kvHeads, seqQ, seqKV, headDim, valueDim, layout), mask, seed);
                break;
        }
    }

    [Theory]
    [InlineData(ElementKind.Float)]
    [InlineData(ElementKind.BFloat16)]
    public void MatchesReferenceWithPeakedScores(ElementKind element)
    {
        // Scale 1 on headDim 64 spreads scores over tens of units: the running max moves often and exp underflows.
        if (element == ElementKind.Float)
        {
            var problem = AttentionProblem<float>.Random(7, 1, 2, 2, 129, 300, 64, 64);
            Compare(problem, new CausalMods(), scale: 1f);
        }
        else
        {
            var problem = AttentionProblem<BFloat16>.Random(7, 1, 2, 2, 129, 300, 64, 64);
            Compare(problem, new CausalMods(), scale: 1f);
        }
    }

    internal static void Check<T>(AttentionProblem<T> problem, MaskKind mask, int seed)
        where T : unmanaged
    {
        var random = new Random(seed);
        switch (mask)
        {
            case MaskKind.Dense:
                Compare(problem, new DenseMods());
                break;
            case MaskKind.Causal:
                Compare(problem, new CausalMods());
                break;
            case MaskKind.SlidingWindow:
                Compare(problem, new SlidingWindowMods(Math.Max(1, problem.SeqKV / 5)));
                break;
            case MaskKind.Alibi:
                var slopes = new float[problem.Heads];
                for (int h = 0; h < slopes.Length; h++)
                {
                    slopes[h] = MathF.Pow(2f, -8f * (h + 1) / slopes.Length);
                }

                var slopeCapture = new PinnedCapture<float>(slopes);
                Compare(problem, new AlibiMods(slopeCapture.Span));
                GC.KeepAlive(slopeCapture);
                break;
            case MaskKind.DocumentMask:
                var ids = new PinnedCapture<int>(RandomDocumentIds(random, problem.SeqKV));
                Compare(problem, new DocumentMaskMods(ids.Span));
                GC.KeepAlive(ids);
                break;
            default:
                var batchIds = new int[problem.Batch * problem.SeqKV];
                for (int b = 0; b < problem.Batch; b++)
                {
                    RandomDocumentIds(random, problem.SeqKV).CopyTo(batchIds.AsSpan(b * problem.SeqKV));
                }

                var batchCapture = new PinnedCapture<int>(batchIds);
                Compare(problem, new BatchDocumentMaskMods(batchCapture.Span, problem.SeqKV));
                GC.KeepAlive(batchCapture);
                break;
        }
    }

    internal static int[] RandomDocumentIds(Random random, int length)
    {
        var ids = new int[length];
        int document = 0;
        for (int i = 0; i < length; i++)
        {
            if (random.Next(40) == 0)
            {
                document++;
            }

            ids[i] = document;
        }

        return ids;
    }

    internal static void Compare<T, TMods>(AttentionProblem<T> problem, TMods mods, float? scale = null)
        where T : unmanaged
        where TMods : struct, IAttentionMods
    {
        (TestTensor<T> expected, float[] expectedLse) = problem.RunReference(mods, scale);
        (TestTensor<T> actual, float[] actualLse) = problem.RunKernel(mods, scale);
        AttentionAssert.Close(expected, actual, AttentionAssert.ToleranceFor<T>());
        AttentionAssert.LogSumExpClose(expectedLse, actualLse, 1e-5);
        if (problem.Layout == TensorLayout.PaddedRows)
        {
            AttentionAssert.PaddingUntouched(actual);
        }
    }
}
