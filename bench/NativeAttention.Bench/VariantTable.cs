using System;
using System.Diagnostics;
using System.IO;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace NativeAttention.Bench;

/// <summary>
/// Every built-in variant on the CPU through its generated <c>Forward</c>: shape, the share of (query, key) pairs its
/// mask keeps, the largest absolute error against <see cref="ReferenceAttention"/>, the time of one call and the
/// useful work rate (4 · kept pairs · headDim flops per call).
/// </summary>
internal static unsafe class VariantTable
{
    private const int Batch = 1;
    private const int Heads = 8;
    private const int KvHeads = 4;
    private const int Seq = 512;
    private const int Dim = 64;
    private const double MinimumSeconds = 0.5;

    private delegate void GeneratedForward(
        ReadOnlyTensorSpan<float> query, ReadOnlyTensorSpan<float> key, ReadOnlyTensorSpan<float> value, TensorSpan<float> output);

    /// <summary>Measures every variant and writes one row each.</summary>
    /// <param name="writer">Where the table goes.</param>
    public static void Write(TextWriter writer)
    {
        var random = new Random(2024);
        float[] query = RandomArray(random, Batch * Heads * Seq * Dim);
        float[] key = RandomArray(random, Batch * KvHeads * Seq * Dim);
        float[] value = RandomArray(random, Batch * KvHeads * Seq * Dim);
        float[] slopes = GC.AllocateArray<float>(Heads, pinned: true);
        Alibi.GeometricSlopes(Heads).CopyTo(slopes, 0);
        const int MaxDistance = 16;
        float[] bias = GC.AllocateArray<float>(Heads * ((2 * MaxDistance) + 1), pinned: true);
        RandomArray(random, bias.Length).CopyTo(bias, 0);
        int[] documentIds = GC.AllocateArray<int>(Seq, pinned: true);
        for (int i = 0; i < Seq; i++)
        {
            documentIds[i] = i / 96;
        }

        var table = new Table(writer, query, key, value);
        string simd = Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector256 (emulated)";
        writer.WriteLine($"== CPU variants (float32, {Environment.ProcessorCount} threads, {simd}) ==");
        writer.WriteLine($"{"variant",-22} {"shape [B,H/KvH,Sq,Skv,D]",-26} {"kept",6} {"max |err|",10} {"ms",9} {"GFLOP/s",8}");
        table.Row("Dense", new Dense.Mods(), (q, k, v, o) => Dense.Forward(q, k, v, o));
        table.Row("Causal", new Causal.Mods(), (q, k, v, o) => Causal.Forward(q, k, v, o));
        table.Row("SlidingWindow(128)", new SlidingWindow.Mods(128), (q, k, v, o) => SlidingWindow.Forward(q, k, v, o, 128));
        fixed (float* slopePointer = slopes)
        {
            table.Row("Alibi", new Alibi.Mods(new CaptureSpan<float>(slopePointer, slopes.Length)), (q, k, v, o) => Alibi.Forward(q, k, v, o, slopes));
        }

        table.Row("AttentionSinks(4,128)", new AttentionSinks.Mods(4, 128), (q, k, v, o) => AttentionSinks.Forward(q, k, v, o, 4, 128));
        table.Row("PrefixLM(128)", new PrefixLM.Mods(128), (q, k, v, o) => PrefixLM.Forward(q, k, v, o, 128));
        fixed (int* idPointer = documentIds)
        {
            table.Row(
                "DocumentMask(96)",
                new DocumentMask.Mods(new CaptureSpan<int>(idPointer, documentIds.Length)),
                (q, k, v, o) => DocumentMask.Forward(q, k, v, o, documentIds));
        }

        table.Row("LocalWindow2D(32,4)", new LocalWindow2D.Mods(32, 4f), (q, k, v, o) => LocalWindow2D.Forward(q, k, v, o, 32, 4f));
        fixed (float* biasPointer = bias)
        {
            table.Row(
                "RelativePositionBias",
                new RelativePositionBias.Mods(new CaptureSpan<float>(biasPointer, bias.Length), MaxDistance),
                (q, k, v, o) => RelativePositionBias.Forward(q, k, v, o, bias, MaxDistance));
        }

        table.Row("SoftCap(20)", new SoftCap.Mods(20f), (q, k, v, o) => SoftCap.Forward(q, k, v, o, 20f));
    }

    private static float[] RandomArray(Random random, int length)
    {
        var array = new float[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2f;
        }

        return array;
    }

    private sealed class Table(TextWriter writer, float[] query, float[] key, float[] value)
    {
        private readonly float[] _output = new float[Batch * Heads * Seq * Dim];
        private readonly float[] _expected = new float[Batch * Heads * Seq * Dim];

        public void Row<TMods>(string name, TMods mods, GeneratedForward forward)
            where TMods : struct, IAttentionMods
        {
            var q = new ReadOnlyTensorSpan<float>(query, [Batch, Heads, Seq, Dim]);
            var k = new ReadOnlyTensorSpan<float>(key, [Batch, KvHeads, Seq, Dim]);
            var v = new ReadOnlyTensorSpan<float>(value, [Batch, KvHeads, Seq, Dim]);
            var o = new TensorSpan<float>(_output, [Batch, Heads, Seq, Dim]);
            ReferenceAttention.Forward(q, k, v, new TensorSpan<float>(_expected, [Batch, Heads, Seq, Dim]), mods, null);

            Array.Fill(_output, float.NaN);
            forward(q, k, v, o);
            double maxError = 0;
            for (int i = 0; i < _output.Length; i++)
            {
                double error = Math.Abs(_output[i] - (double)_expected[i]);
                maxError = double.IsNaN(error) ? double.NaN : Math.Max(maxError, error);
            }

            // Past tiered compilation's first tiers before the clock starts.
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed.TotalSeconds < MinimumSeconds)
            {
                forward(q, k, v, o);
            }

            int calls = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < MinimumSeconds)
            {
                forward(q, k, v, o);
                calls++;
            }

            double seconds = clock.Elapsed.TotalSeconds / calls;
            long kept = KeptPairs(mods);
            double flops = 4.0 * kept * Dim;
            writer.WriteLine(
                $"{name,-22} {$"[{Batch},{Heads}/{KvHeads},{Seq},{Seq},{Dim}]",-26} {100.0 * kept / ((long)Batch * Heads * Seq * Seq),5:F1}% " +
                $"{maxError,10:E2} {seconds * 1e3,9:F3} {flops / seconds / 1e9,8:F2}");
        }

        private static long KeptPairs<TMods>(TMods mods)
            where TMods : struct, IAttentionMods
        {
            if (!TMods.HasMaskMod)
            {
                return (long)Batch * Heads * Seq * Seq;
            }

            long kept = 0;
            for (int b = 0; b < Batch; b++)
            {
                for (int h = 0; h < Heads; h++)
                {
                    for (int q = 0; q < Seq; q++)
                    {
                        for (int kv = 0; kv < Seq; kv++)
                        {
                            kept += mods.Mask(b, h, q, kv) ? 1 : 0;
                        }
                    }
                }
            }

            return kept;
        }
    }
}
