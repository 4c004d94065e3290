using System;
using System.Collections.Generic;
using System.Linq;

namespace NativeAttention.Tests.Gpu;

/// <summary>Every built-in variant with captures that make its mods matter at the tested lengths.</summary>
internal static class GpuVariantCases
{
    public static IReadOnlyList<GpuVariantCase> All { get; } =
    [
        new GpuVariantCase<Alibi.Mods>(
            Alibi.Descriptor,
            true,
            false,
            (shape, _) => new GpuTestCaptures { Floats = Pinned(Alibi.GeometricSlopes(shape.Heads)) },
            c => new Alibi.Mods(c.HostFloats),
            c => new Alibi.Mods(c.FloatLengths),
            (c, blob) => new GpuCaptureWriter(Alibi.Descriptor, blob).Write(0, c.DeviceFloats!)),
        new GpuVariantCase<AttentionSinks.Mods>(
            AttentionSinks.Descriptor,
            true,
            false,
            (_, _) => new GpuTestCaptures { Int0 = 4, Int1 = 64 },
            c => new AttentionSinks.Mods(c.Int0, c.Int1),
            c => new AttentionSinks.Mods(c.Int0, c.Int1),
            (c, blob) =>
            {
                var writer = new GpuCaptureWriter(AttentionSinks.Descriptor, blob);
                writer.Write(0, c.Int0);
                writer.Write(1, c.Int1);
            }),
        new GpuVariantCase<Causal.Mods>(
            Causal.Descriptor, true, false, (_, _) => new GpuTestCaptures(), _ => new Causal.Mods(), _ => new Causal.Mods(), (_, blob) => new GpuCaptureWriter(Causal.Descriptor, blob)),
        new GpuVariantCase<Dense.Mods>(
            Dense.Descriptor, true, false, (_, _) => new GpuTestCaptures(), _ => new Dense.Mods(), _ => new Dense.Mods(), (_, blob) => new GpuCaptureWriter(Dense.Descriptor, blob)),
        new GpuVariantCase<DocumentMask.Mods>(
            DocumentMask.Descriptor,
            false,
            true,
            (shape, random) => new GpuTestCaptures { Ints = DocumentIds(Math.Max(shape.SeqQ, shape.SeqKV), random) },
            c => new DocumentMask.Mods(c.HostInts),
            c => new DocumentMask.Mods(c.IntLengths),
            (c, blob) => new GpuCaptureWriter(DocumentMask.Descriptor, blob).Write(0, c.DeviceInts!)),
        new GpuVariantCase<LocalWindow2D.Mods>(
            LocalWindow2D.Descriptor,
            true,
            false,
            (_, _) => new GpuTestCaptures { Int0 = 32, Float0 = 5.5f },
            c => new LocalWindow2D.Mods(c.Int0, c.Float0),
            c => new LocalWindow2D.Mods(c.Int0, c.Float0),
            (c, blob) =>
            {
                var writer = new GpuCaptureWriter(LocalWindow2D.Descriptor, blob);
                writer.Write(0, c.Int0);
                writer.Write(1, c.Float0);
            }),
        new GpuVariantCase<PrefixLM.Mods>(
            PrefixLM.Descriptor,
            true,
            false,
            (_, _) => new GpuTestCaptures { Int0 = 37 },
            c => new PrefixLM.Mods(c.Int0),
            c => new PrefixLM.Mods(c.Int0),
            (c, blob) => new GpuCaptureWriter(PrefixLM.Descriptor, blob).Write(0, c.Int0)),
        new GpuVariantCase<RelativePositionBias.Mods>(
            RelativePositionBias.Descriptor,
            true,
            false,
            (shape, random) => new GpuTestCaptures { Floats = RandomFloats(shape.Heads * 33, random), Int0 = 16 },
            c => new RelativePositionBias.Mods(c.HostFloats, c.Int0),
            c => new RelativePositionBias.Mods(c.FloatLengths, c.Int0),
            (c, blob) =>
            {
                var writer = new GpuCaptureWriter(RelativePositionBias.Descriptor, blob);
                writer.Write(0, c.DeviceFloats!);
                writer.Write(1, c.Int0);
            }),
        new GpuVariantCase<SlidingWindow.Mods>(
            SlidingWindow.Descriptor,
            true,
            false,
            (_, _) => new GpuTestCaptures { Int0 = 100 },
            c => new SlidingWindow.Mods(c.Int0),
            c => new SlidingWindow.Mods(c.Int0),
            (c, blob) => new GpuCaptureWriter(SlidingWindow.Descriptor, blob).Write(0, c.Int0)),
        new GpuVariantCase<SoftCap.Mods>(
            SoftCap.Descriptor,
            true,
            false,
            (_, _) => new GpuTestCaptures { Float0 = 0.5f },
            c => new SoftCap.Mods(c.Float0),
            c => new SoftCap.Mods(c.Float0),
            (c, blob) => new GpuCaptureWriter(SoftCap.Descriptor, blob).Write(0, c.Float0)),
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
