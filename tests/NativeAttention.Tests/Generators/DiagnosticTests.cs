using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// One test per diagnostic: the source marks the expected location with [| |], and the generator must report exactly
/// that id there and nothing else.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using System;\nusing NativeAttention;\n";

    [Fact]
    public void NA0001_SpecNotStaticPartial() => Expect("NA0001", """
        [AttentionVariant]
        public static class [|Spec|]
        {
            [MaskMod] static bool Mask(int b, int h, int q, int kv) => kv <= q;
        }
        """);

    [Fact]
    public void NA0002_NoMods() => Expect("NA0002", """
        [AttentionVariant]
        public static partial class [|Spec|]
        {
            static bool Mask(int b, int h, int q, int kv) => kv <= q;
        }
        """);

    [Fact]
    public void NA0003_TwoScoreMods() => Expect("NA0003", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float A(float s, int b, int h, int q, int kv) => s;
            [ScoreMod] static float [|B|](float s, int b, int h, int q, int kv) => s * 2f;
        }
        """);

    [Fact]
    public void NA0004_TwoMaskMods() => Expect("NA0004", """
        [AttentionVariant]
        public static partial class Spec
        {
            [MaskMod] static bool A(int b, int h, int q, int kv) => kv <= q;
            [MaskMod] static bool [|B|](int b, int h, int q, int kv) => kv >= q;
        }
        """);

    [Fact]
    public void NA0005_InvalidScoreModSignature() => Expect("NA0005", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float [|Score|](float s, int b, int h, int q) => s;
        }
        """);

    [Fact]
    public void NA0006_InvalidMaskModSignature() => Expect("NA0006", """
        [AttentionVariant]
        public static partial class Spec
        {
            [MaskMod] static int [|Mask|](int b, int h, int q, int kv) => kv - q;
        }
        """);

    [Fact]
    public void NA0007_InvalidCaptureType() => Expect("NA0007", """
        [AttentionVariant]
        public static partial class Spec
        {
            [MaskMod] static bool Mask(int b, int h, int q, int kv, double [|limit|]) => kv <= q;
        }
        """);

    [Fact]
    public void NA0008_CaptureTypeClash() => Expect("NA0008", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv, float window) => s * window;
            [MaskMod] static bool Mask(int b, int h, int q, int kv, int [|window|]) => q - kv < window;
        }
        """);

    [Fact]
    public void NA0009_UnsafeBlocksRequired() => Expect("NA0009", """
        [AttentionVariant]
        public static partial class [|Spec|]
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv, ReadOnlySpan<float> bias) => s + bias[h];
        }
        """, allowUnsafe: false);

    [Fact]
    public void NA0010_Loop() => Expect("NA0010", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod]
            static float Score(float s, int b, int h, int q, int kv)
            {
                [|for|] (int i = 0; i < 3; i++) { s *= 0.5f; }
                return s;
            }
        }
        """);

    [Fact]
    public void NA0011_Allocation() => Expect("NA0011", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod]
            static float Score(float s, int b, int h, int q, int kv)
            {
                var weights = [|new float[4]|];
                return s;
            }
        }
        """, extra: "CS0219");

    [Fact]
    public void NA0012_String() => Expect("NA0012", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv) => s + Helper([|"x"|]);
            static float Helper(string text) => 1f;
        }
        """, extra: "NA0020");

    [Fact]
    public void NA0013_Lambda() => Expect("NA0013", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod]
            static float Score(float s, int b, int h, int q, int kv)
            {
                var twice = [|(float x) => x * 2f|];
                return s;
            }
        }
        """);

    [Fact]
    public void NA0014_ForeignMethod() => Expect("NA0014", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv) => s + [|Other.Bias(h)|];
        }

        public static class Other
        {
            public static float Bias(int head) => head;
        }
        """);

    [Fact]
    public void NA0015_State() => Expect("NA0015", """
        [AttentionVariant]
        public static partial class Spec
        {
            private static float _bias = 1f;

            [ScoreMod] static float Score(float s, int b, int h, int q, int kv) => s + [|_bias|];
        }
        """);

    [Fact]
    public void NA0016_RefOut() => Expect("NA0016", """
        [AttentionVariant]
        public static partial class Spec
        {
            [MaskMod] static bool Mask(int b, int h, int q, int kv, ref int [|window|]) => q - kv < window;
        }
        """);

    [Fact]
    public void NA0017_Recursion() => Expect("NA0017", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv) => s + Decay(q - kv);
            static float Decay(int distance) => distance <= 0 ? 0f : 1f + [|Decay(distance - 1)|];
        }
        """);

    [Fact]
    public void NA0018_UnsupportedType() => Expect("NA0018", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv) => (float)(s * [|0.5|]);
        }
        """);

    [Fact]
    public void NA0019_UnsupportedConstruct() => Expect("NA0019", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod]
            static float Score(float s, int b, int h, int q, int kv)
            {
                [|switch (h) { case 0: return s; default: return -s; }|]
            }
        }
        """);

    [Fact]
    public void NA0020_InvalidHelperSignature() => Expect("NA0020", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv) => s + [|Widen(h)|];
            static float Widen(long index) => index;
        }
        """);

    [Fact]
    public void NA0021_NestedSpec() => Expect("NA0021", """
        public static partial class Outer
        {
            [AttentionVariant]
            public static partial class [|Spec|]
            {
                [MaskMod] static bool Mask(int b, int h, int q, int kv) => kv <= q;
            }
        }
        """);

    [Fact]
    public void NA0022_ReservedCaptureName() => Expect("NA0022", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv, float [|value|]) => s + value;
        }
        """);

    [Fact]
    public void NA0023_UnsupportedMathMethod() => Expect("NA0023", """
        [AttentionVariant]
        public static partial class Spec
        {
            [ScoreMod] static float Score(float s, int b, int h, int q, int kv) => s + (float)[|Math.Exp(q - kv)|];
        }
        """, extra: "NA0018");

    [Fact]
    public void EachRejectedConstructGetsItsOwnDiagnostic()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(("Spec.cs", Usings + """
            [AttentionVariant]
            public static partial class Spec
            {
                [ScoreMod]
                static float Score(float s, int b, int h, int q, int kv)
                {
                    while (s > 1f) { s *= 0.5f; }
                    do { s += 1f; } while (s < 0f);
                    return s + Other.Bias();
                }
            }

            public static class Other { public static float Bias() => 0f; }
            """));
        Assert.Equal(["NA0010", "NA0010", "NA0014"], outcome.Diagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    [Fact]
    public void CompilerErrorsInASpecLeaveItToTheCompiler()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(("Spec.cs", Usings + """
            [AttentionVariant]
            public static partial class Spec
            {
                [MaskMod] static bool Mask(int b, int h, int q, int kv) => kv <= undefinedName;
            }
            """));
        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.Result.GeneratedSources);
        Assert.Null(outcome.Result.Exception);
    }

    /// <summary>
    /// Runs the generator on a spec whose expected location is marked with [| |]; <paramref name="extra"/> names a
    /// compiler or generator diagnostic the construct also causes elsewhere (it must not be at the marked span).
    /// </summary>
    private static void Expect(string id, string markedSource, bool allowUnsafe = true, string? extra = null)
    {
        string source = Usings + markedSource;
        int start = source.IndexOf("[|", System.StringComparison.Ordinal);
        int end = source.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        source = source.Replace("[|", string.Empty).Replace("|]", string.Empty);
        var expectedSpan = TextSpan.FromBounds(start, end);

        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation([("Spec.cs", source)], allowUnsafe));
        var reported = outcome.Diagnostics.Where(d => d.Id != extra).ToList();
        Diagnostic diagnostic = Assert.Single(reported);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.True(diagnostic.Location.SourceSpan == expectedSpan,
            $"{id} at {diagnostic.Location.SourceSpan} '{source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length)}', expected {expectedSpan} '{source.Substring(start, end - start)}': {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.Equal("Spec.cs", diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path);
        Assert.DoesNotContain(outcome.Result.GeneratedSources, generated => generated.HintName.Contains("Spec", System.StringComparison.Ordinal));
    }
}
