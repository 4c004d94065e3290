namespace NativeAttention.Tests.Generators;

/// <summary>Spec sources that exercise the generator; each has a snapshot of its generated code.</summary>
internal static class Samples
{
    public const string Alibi = """
        using System;
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Alibi
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, ReadOnlySpan<float> slopes)
                => score + slopes[head] * (kv - q);

            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv) => kv <= q;
        }
        """;

    /// <summary>Helpers, locals, if/else, compound assignment, every Math function, shared and scalar captures.</summary>
    public const string Kitchen = """
        using System;
        using NativeAttention;

        namespace Samples.Deep;

        [AttentionVariant]
        internal static partial class Kitchen
        {
            private const float Epsilon = 1e-6f;
            private const int Shift = 3;

            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, ReadOnlySpan<float> bias, float temperature, ReadOnlySpan<int> groups)
            {
                float scaled = score / MathF.Max(temperature, Epsilon);
                int distance = Math.Abs(q - kv);
                if (distance > 8)
                {
                    scaled -= MathF.Log2(distance) + MathF.Sqrt(distance) * 0.5f;
                }
                else if (distance == 0)
                {
                    scaled += bias[head];
                }
                else
                {
                    scaled = Squash(scaled) + MathF.Pow(2f, -distance) + MathF.Floor(scaled) - MathF.Ceiling(scaled) + MathF.Round(scaled);
                }

                int group = groups[kv] << Shift >> 1;
                scaled *= (group & 1) == 0 ? 1f : MathF.Exp(-MathF.Abs(scaled));
                return Math.Clamp(scaled, float.MinValue, float.MaxValue) + MathF.Sign(scaled) + Math.Min(group, 4) + Math.Max(Math.Sign(group), Math.Clamp(group, 0, 2));
            }

            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv, ReadOnlySpan<int> groups, int window)
            {
                if (groups[head] < 0)
                {
                    return false;
                }

                int gap = q - kv;
                gap++;
                return Within(gap, window) || !(kv > q) && (float)kv * 0.5f >= (float)q - 1e3f;
            }

            static float Squash(float x) => MathF.Tanh(x) * MathF.Log(1f + MathF.Abs(x));

            static bool Within(int gap, int window) => gap >= 1 && gap <= window;
        }
        """;

    /// <summary>A mask over a span capture indexed by positions: no static tile classification.</summary>
    public const string Documents = """
        using System;
        using NativeAttention;

        [AttentionVariant]
        public static partial class Documents
        {
            [MaskMod]
            static bool Mask(int b, int h, int i, int j, ReadOnlySpan<int> ids) => ids[i] == ids[j] && j <= i;
        }
        """;

    /// <summary>A score mod that returns the score unchanged: HasScoreMod is false.</summary>
    public const string Identity = """
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Identity
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv) { return (score); }
        }
        """;

    /// <summary>A mask with early returns, a local assigned in both branches, compound assignment and else-if chains.</summary>
    public const string Branchy = """
        using System;
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Branchy
        {
            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv, int sinks, int window, ReadOnlySpan<int> headWindow)
            {
                if (kv > q) return false;
                const int Slack = 1;
                int distance = q - kv;
                bool recent;
                if (head % 2 == 0) { recent = distance < window; } else { recent = distance < headWindow[head]; }
                int limit = sinks;
                limit += batch;
                if (kv < limit)
                {
                    return true;
                }
                else if (recent)
                    return true;
                int band = ~(-distance) >>> 0 ^ 0;
                return Math.Abs(band - 1 - (2 * window)) <= Slack ? (float)distance % 3f == 0f : false;
            }
        }
        """;

    /// <summary>Constants from other types, infinities, a helper shared by both mods, keyword-like names, a shared capture.</summary>
    public const string Edges = """
        using System;
        using NativeAttention;

        namespace Samples;

        public static class Tuning
        {
            public const float Floor = -1e4f;
        }

        [AttentionVariant]
        public static partial class Edges
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, float register, int window)
                => InWindow(q, kv, window) ? MathF.Max(score * register, Tuning.Floor) : float.NegativeInfinity + -0f;

            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv, int window)
                => InWindow(q, kv, window) && kv != int.MaxValue && (q >= 0 ? kv >= 0 : q == int.MinValue);

            static bool InWindow(int q, int kv, int window) => q - kv < window && kv <= q;
        }
        """;

    /// <summary>Mods whose every node has a lane-by-lane form: negation, Min/Max/Abs, casts, selects, masks, lengths.</summary>
    public const string Lanes = """
        using System;
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Lanes
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, ReadOnlySpan<float> slopes, float cap, int window)
                => kv - q > window
                    ? -score
                    : MathF.Max(Math.Min(score * cap, cap), -cap) + (MathF.Abs(score) / (slopes[head] - 0.5f))
                        + ((float)((kv * 3) - q) * slopes.Length) + (score != cap ? 1f : -0f) + (batch > 1 ? Math.Max(q, kv) : -kv);

            [MaskMod]
            static bool Mask(int b, int h, int i, int j, int window)
                => !(j > i) && ((i - j < window || j == 0) != (h < 0 ? true : 2.5f * j >= i));
        }
        """;

    /// <summary>
    /// Span reads at computed indices and at a reassigned index parameter (checked on the GPU) beside reads at bare
    /// index parameters (proven in range by the host), over a float and an int span.
    /// </summary>
    public const string Buckets = """
        using System;
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Buckets
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, ReadOnlySpan<float> bias, float gain, ReadOnlySpan<int> shift)
                => score + bias[kv - q + shift[head]] * gain + bias[kv];

            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv, ReadOnlySpan<int> shift)
            {
                q -= shift[batch];
                return kv <= q && shift[q] >= 0;
            }
        }
        """;

    public static (string Name, string Source)[] All { get; } =
    [
        ("Edges", Edges),
        ("Branchy", Branchy),
        ("Alibi", Alibi),
        ("Kitchen", Kitchen),
        ("Documents", Documents),
        ("Identity", Identity),
        ("Lanes", Lanes),
        ("Buckets", Buckets),
    ];
}
