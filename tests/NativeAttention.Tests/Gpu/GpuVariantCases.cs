using System;
using System.Collections.Generic;
using System.Linq;

namespace NativeAttention.Tests.Gpu;

/// <summary>Every built-in variant, called through its generated GPU overloads, with captures that make its mods matter at the tested lengths.</summary>
internal static class GpuVariantCases
{
    public static IReadOnlyList<GpuVariantCase> All { get; } =
    [
        new GpuVariantCase<Alibi.Mods>(
            Alibi.Descriptor,
            (shape, _) => new GpuTestCaptures { Floats = Pinned(Alibi.GeometricSlopes(shape.Heads)) },
            c => new Alibi.Mods(c.HostFloats),
            (q, k, v, o, c, options, stream) => Alibi.Forward(q, k, v, o, c.DeviceFloats!, options, stream),
            (q, k, v, o, c, options, stream) => Alibi.Forward(q, k, v, o, c.DeviceFloats!, options, stream)),
        new GpuVariantCase<AttentionSinks.Mods>(
            AttentionSinks.Descriptor,
            (_, _) => new GpuTestCaptures { Int0 = 4, Int1 = 64 },
            c => new AttentionSinks.Mods(c.Int0, c.Int1),
            (q, k, v, o, c, options, stream) => AttentionSinks.Forward(q, k, v, o, c.Int0, c.Int1, options, stream),
            (q, k, v, o, c, options, stream) => AttentionSinks.Forward(q, k, v, o, c.Int0, c.Int1, options, stream)),
        new GpuVariantCase<Causal.Mods>(
            Causal.Descriptor,
            (_, _) => new GpuTestCaptures(),
            _ => new Causal.Mods(),
            (q, k, v, o, _, options, stream) => Causal.Forward(q, k, v, o, options, stream),
            (q, k, v, o, _, options, stream) => Causal.Forward(q, k, v, o, options, stream)),
        new GpuVariantCase<Dense.Mods>(
            Dense.Descriptor,
            (_, _) => new GpuTestCaptures(),
            _ => new Dense.Mods(),
            (q, k, v, o, _, options, stream) => Dense.Forward(q, k, v, o, options, stream),
            (q, k, v, o, _, options, stream) => Dense.Forward(q, k, v, o, options, stream)),
        new GpuVariantCase<DocumentMask.Mods>(
            DocumentMask.Descriptor,
            (shape, random) => new GpuTestCaptures { Ints = DocumentIds(shape.SeqKV, random) },
            c => new DocumentMask.Mods(c.HostInts),
            (q, k, v, o, c, options, stream) => DocumentMask.Forward(q, k, v, o, c.DeviceInts!, options, stream),
            (q, k, v, o, c, options, stream) => DocumentMask.Forward(q, k, v, o, c.DeviceInts!, options, stream)),
        new GpuVariantCase<LocalWindow2D.Mods>(
            LocalWindow2D.Descriptor,
            (_, _) => new GpuTestCaptures { Int0 = 32, Float0 = 5.5f },
            c => new LocalWindow2D.Mods(c.Int0, c.Float0),
            (q, k, v, o, c, options, stream) => LocalWindow2D.Forward(q, k, v, o, c.Int0, c.Float0, options, stream),
            (q, k, v, o, c, options, stream) => LocalWindow2D.Forward(q, k, v, o, c.Int0, c.Float0, options, stream)),
        new GpuVariantCase<PrefixLM.Mods>(
            PrefixLM.Descriptor,
            (_, _) => new GpuTestCaptures { Int0 = 37 },
            c => new PrefixLM.Mods(c.Int0),
            (q, k, v, o, c, options, stream) => PrefixLM.Forward(q, k, v, o, c.Int0, options, stream),
            (q, k, v, o, c, options, stream) => PrefixLM.Forward(q, k, v, o, c.Int0, options, stream)),
        new GpuVariantCase<RelativePositionBias.Mods>(
            RelativePositionBias.Descriptor,
            (shape, random) => new GpuTestCaptures { Floats = RandomFloats(shape.Heads * 33, random), Int0 = 16 },
            c => new RelativePositionBias.Mods(c.HostFloats, c.Int0),
            (q, k, v, o, c, options, stream) => RelativePositionBias.Forward(q, k, v, o, c.DeviceFloats!, c.Int0, options, stream),
            (q, k, v, o, c, options, stream) => RelativePositionBias.Forward(q, k, v, o, c.DeviceFloats!, c.Int0, options, stream)),
        new GpuVariantCase<SlidingWindow.Mods>(
            SlidingWindow.Descriptor,
            (_, _) => new GpuTestCaptures { Int0 = 100 },
            c => new SlidingWindow.Mods(c.Int0),
            (q, k, v, o, c, options, stream) => SlidingWindow.Forward(q, k, v, o, c.Int0, options, stream),
            (q, k, v, o, c, options, stream) => SlidingWindow.Forward(q, k, v, o, c.Int0, options, stream)),
        new GpuVariantCase<SoftCap.Mods>(
            SoftCap.Descriptor,
            (_, _) => new GpuTestCaptures { Float0 = 0.5f },
            c => new SoftCap.Mods(c.Float0),
            (q, k, v, o, c, options, stream) => SoftCap.Forward(q, k, v, o, c.Float0, options, stream),
            (q, k, v, o, c, options, stream) => SoftCap.Forward(q, k, v, o, c.Float0, options, stream)),
    ];

    public static GpuVariantCase Named(string name) => All.Single(v => v.Name == name);

    private static float[] Pinned(float[] values)
    {
        float[] pinned = GpuTestCaptures.PinnedFloats(values.Length);
        values.CopyTo(pinned, 0);
        return pinned;
    }

    private static float[] RandomFloats(int length, Random random)
    {
        float[] values = GpuTestCaptures.PinnedFloats(length);
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>Documents of random lengths 1 to 300 covering every position.</summary>
    private static int[] DocumentIds(int length, Random random)
    {
        int[] ids = GpuTestCaptures.PinnedInts(length);
        int document = 0;
        for (int i = 0; i < length;)
        {
            int end = Math.Min(length, i + random.Next(1, 301));
            for (; i < end; i++)
            {
                ids[i] = document;
            }

            document++;
        }

        return ids;
    }
}
