using System;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// The generated interval classifiers of the built-in variants against brute force over random tiles and shapes:
/// never unsound, and exact for the monotone masks (causal, sliding window, prefix-LM, sinks).
/// </summary>
public sealed unsafe class TileClassificationTests
{
    private const int Tiles = 3000;

    [Fact]
    public void CausalIsExact() => Check(new Causal.Mods(), seed: 1, exact: true);

    [Fact]
    public void SlidingWindowIsExact()
    {
        var rng = new Random(2);
        for (int round = 0; round < 8; round++)
        {
            Check(new SlidingWindow.Mods(rng.Next(1, 96)), seed: round, exact: true);
        }
    }

    [Fact]
    public void PrefixLMIsExact()
    {
        var rng = new Random(3);
        for (int round = 0; round < 8; round++)
        {
            Check(new PrefixLM.Mods(rng.Next(0, 200)), seed: round, exact: true);
        }
    }

    [Fact]
    public void AttentionSinksIsExact()
    {
        var rng = new Random(4);
        (int Full, int Empty, int Partial) total = default;
        for (int round = 0; round < 8; round++)
        {
            var counts = Check(new AttentionSinks.Mods(rng.Next(0, 16), rng.Next(1, 128)), seed: round, exact: true);
            total = (total.Full + counts.Full, total.Empty + counts.Empty, total.Partial + counts.Partial);
        }

        Assert.True(total.Full > 0 && total.Empty > 0 && total.Partial > 0, $"Degenerate tile mix {total}");
    }

    [Fact]
    public void BisectionProvesAUnionOfSinksAndWindowFull()
    {
        // Sinks cover kv 0..3 and the window kv 3..10: one interval evaluation cannot tell, bisection can.
        var mods = new AttentionSinks.Mods(4, 8);
        Assert.False(mods.EvaluateMask(0, 0, IntInterval.Range(10, 10), IntInterval.Range(0, 10)).IsTrue);
        Assert.Equal(TileClass.Full, mods.TryClassifyTile(0, 0, 10, 10, 0, 10));
        Assert.Equal(TileClass.Partial, mods.TryClassifyTile(0, 0, 12, 12, 0, 10)); // kv 4 is neither sink nor in the window
    }

    [Fact]
    public void AlibiMaskIsExact()
    {
        float[] slopes = Alibi.GeometricSlopes(8);
        fixed (float* pointer = slopes)
        {
            Check(new Alibi.Mods(new CaptureSpan<float>(pointer, slopes.Length)), seed: 5, exact: true);
        }
    }

    [Fact]
    public void VariantsWithoutAMaskAreFull()
    {
        Check(new Dense.Mods(), seed: 6, exact: true);
        Check(new SoftCap.Mods(30f), seed: 7, exact: true);
        float[] bias = new float[8 * 9];
        fixed (float* pointer = bias)
        {
            Check(new RelativePositionBias.Mods(new CaptureSpan<float>(pointer, bias.Length), 4), seed: 8, exact: true);
        }
    }

    [Fact]
    public void DocumentMaskIsSoundAndNotStatic()
    {
        Assert.False(DocumentMask.Mods.HasStaticTileClassification);
        Assert.False(DocumentMask.Descriptor.HasStaticTileClassification);
        var rng = new Random(9);
        int[] ids = new int[512];
        for (int i = 0, document = 0; i < ids.Length; i++)
        {
            document += rng.Next(40) == 0 ? 1 : 0;
            ids[i] = document;
        }

        fixed (int* pointer = ids)
        {
            Check(new DocumentMask.Mods(new CaptureSpan<int>(pointer, ids.Length)), seed: 10, exact: false, maxSeqKV: ids.Length);
        }
    }

    [Fact]
    public void LocalWindow2DIsSoundAndProvesDistantTilesEmpty()
    {
        var rng = new Random(11);
        int empty = 0;
        for (int round = 0; round < 6; round++)
        {
            var mods = new LocalWindow2D.Mods(rng.Next(1, 24), (float)(rng.NextDouble() * 6));
            empty += Check(mods, seed: round, exact: false).Empty;
        }

        Assert.True(empty > 0, "The 2-D window never proved a tile empty.");
    }

    [Fact]
    public void MaskStaticFlagsDescribeTheMasks()
    {
        Assert.True(Causal.Mods.HasMaskMod);
        Assert.False(Causal.Mods.HasScoreMod);
        Assert.False(Dense.Mods.HasScoreMod);
        Assert.False(Dense.Mods.HasMaskMod);
        Assert.True(Alibi.Mods.HasScoreMod);
        Assert.False(Alibi.Mods.MaskDependsOnHead);
        Assert.True(LocalWindow2D.Mods.HasStaticTileClassification);
    }

    private static (int Full, int Empty, int Partial) Check<TMods>(TMods mods, int seed, bool exact, int maxSeqKV = 400)
        where TMods : struct, IAttentionMods
    {
        var rng = new Random(seed);
        int full = 0, empty = 0, partial = 0;
        for (int tile = 0; tile < Tiles; tile++)
        {
            int seqKV = rng.Next(1, maxSeqKV + 1);
            int tileQ = rng.Next(1, Math.Min(seqKV, 80) + 1), tileKV = rng.Next(1, Math.Min(seqKV, 80) + 1);
            int qFirst = rng.Next(0, seqKV - tileQ + 1), kvFirst = rng.Next(0, seqKV - tileKV + 1);
            int qLast = qFirst + tileQ - 1, kvLast = kvFirst + tileKV - 1;
            int batch = rng.Next(0, 2), head = rng.Next(0, 8);

            bool anyKept = false, anyDropped = false;
            for (int q = qFirst; q <= qLast; q++)
            {
                for (int kv = kvFirst; kv <= kvLast; kv++)
                {
                    if (mods.Mask(batch, head, q, kv))
                    {
                        anyKept = true;
                    }
                    else
                    {
                        anyDropped = true;
                    }
                }
            }

            TileClass actual = mods.TryClassifyTile(batch, head, qFirst, qLast, kvFirst, kvLast);
            string where = $"{typeof(TMods).DeclaringType!.Name} tile q[{qFirst},{qLast}] kv[{kvFirst},{kvLast}] head {head}";
            if (actual == TileClass.Full)
            {
                Assert.False(anyDropped, $"Unsound Full: {where}");
                full++;
            }
            else if (actual == TileClass.Empty)
            {
                Assert.False(anyKept, $"Unsound Empty: {where}");
                empty++;
            }
            else
            {
                partial++;
            }

            if (exact)
            {
                TileClass truth = anyKept && anyDropped ? TileClass.Partial : anyKept ? TileClass.Full : TileClass.Empty;
                Assert.True(truth == actual, $"Inexact: {where} is {truth}, classified {actual}");
            }
        }

        return (full, empty, partial);
    }
}
