using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using NativeAttention.Tests.Cpu;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// Which mods the generator vectorizes, and that the row methods it writes equal the scalar mods bit for bit: samples
/// are generated, compiled, loaded and run against their own Score and Mask.
/// </summary>
public sealed unsafe class VectorFormTests
{
    private const string NotVectorizable = """
        using System;
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Scalar
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, float cap) => cap * MathF.Exp(score / cap);

            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv) => Near(q, kv);

            static bool Near(int q, int kv) => q - kv < 4;
        }
        """;

    // Tanh of a uniform value stays the scalar call; of a lane value it becomes SpecVectorMath.Tanh.
    private const string Capped = """
        using System;
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Capped
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, float cap) => MathF.Tanh(cap) * MathF.Tanh((score + kv - q) / cap);
        }
        """;

    private const string Division = """
        using System;
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Division
        {
            [ScoreMod]
            static float Score(float score, int batch, int head, int q, int kv, int stride)
            {
                int block = kv / stride;
                int lane = kv % stride;
                return score + (float)(block - lane) * 0.5f;
            }

            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv, int stride) => q / (kv | 1) >= 0;
        }

        [AttentionVariant]
        public static partial class LocalDivisor
        {
            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv, int stride)
            {
                int divisor = stride + 1;
                return kv / divisor <= q;
            }
        }
        """;

    private static readonly MethodInfo CheckMethod = typeof(VectorRowChecker).GetMethod(nameof(VectorRowChecker.Check))!;

    [Fact]
    public void LanesSampleRowsMatchScalar()
    {
        Type mods = Compile("Lanes", Samples.Lanes).GetType("Samples.Lanes+Mods", throwOnError: true)!;
        Assert.True(Flag(mods, "HasVectorScore"));
        Assert.True(Flag(mods, "HasVectorMask"));
        float[] slopes = [0.5f, -0.25f, 0f, -0f, 1e-3f, float.NaN, float.PositiveInfinity, 3f];
        fixed (float* pointer = slopes)
        {
            foreach ((float cap, int window) in new[] { (2.5f, 3), (float.NaN, 0), (float.PositiveInfinity, -5), (-0f, int.MaxValue) })
            {
                object instance = Activator.CreateInstance(mods, new CaptureSpan<float>(pointer, slopes.Length), cap, window)!;
                RunChecker(mods, instance, slopes.Length, seed: window);
            }
        }
    }

    [Fact]
    public void AlibiSampleRowsMatchScalar()
    {
        Type mods = Compile("Alibi", Samples.Alibi).GetType("Samples.Alibi+Mods", throwOnError: true)!;
        Assert.True(Flag(mods, "HasVectorScore"));
        Assert.True(Flag(mods, "HasVectorMask"));
        float[] slopes = [0.5f, -0.125f, float.NegativeInfinity];
        fixed (float* pointer = slopes)
        {
            RunChecker(mods, Activator.CreateInstance(mods, new CaptureSpan<float>(pointer, slopes.Length))!, slopes.Length, seed: 11);
        }
    }

    [Theory]
    [InlineData("Edges", "Samples.Edges+Mods")]
    [InlineData("Kitchen", "Samples.Deep.Kitchen+Mods")]
    [InlineData("Branchy", "Samples.Branchy+Mods")]
    public void HelpersAndStatementsStayScalar(string name, string typeName)
    {
        string source = Samples.All.Single(sample => sample.Name == name).Source;
        Type mods = Compile(name, source).GetType(typeName, throwOnError: true)!;
        Assert.False(Flag(mods, "HasVectorScore"));
        Assert.False(Flag(mods, "HasVectorMask"));
        Assert.Null(mods.GetMethod("ScoreRow256", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        Assert.Null(mods.GetMethod("MaskRow256", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
    }

    [Fact]
    public void PerKeyCaptureReadsAreGatheredAndThrowLikeScalarOutOfRange()
    {
        Type mods = Compile("Documents", Samples.Documents).GetType("Documents+Mods", throwOnError: true)!;
        Assert.True(Flag(mods, "HasVectorMask"));
        int[] ids = new int[100];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i / 7;
        }

        fixed (int* pointer = ids)
        {
            object instance = Activator.CreateInstance(mods, new CaptureSpan<int>(pointer, ids.Length))!;
            MethodInfo mask = mods.GetMethod("Mask")!;
            foreach (string row in new[] { "MaskRow256", "MaskRow512" })
            {
                MethodInfo rowMethod = mods.GetMethod(row)!;
                foreach ((int i, int first, int count) in new[] { (50, 0, 100), (99, 37, 63), (10, 90, 10), (20, 95, 9), (20, -2, 9) })
                {
                    float[] expected = new float[count];
                    Type? scalarThrows = Record.Exception(() =>
                    {
                        for (int j = 0; j < count; j++)
                        {
                            expected[j] = (bool)Invoke(mask, instance, 0, 0, i, first + j)! ? 0f : float.NegativeInfinity;
                        }
                    })?.GetType();
                    float[] actual = new float[count];
                    Type? vectorThrows = Record.Exception(() => InvokeRow(rowMethod, instance, actual, i, first))?.GetType();

                    Assert.Equal(scalarThrows, vectorThrows);
                    Assert.Equal(expected, actual);
                }
            }
        }
    }

    [Fact]
    public void IntDivisionVectorizesOnlyByAUniformDivisorThatReadsNoLocal()
    {
        Assembly assembly = Compile("Division", Division);
        Type division = assembly.GetType("Samples.Division+Mods", throwOnError: true)!;
        Type localDivisor = assembly.GetType("Samples.LocalDivisor+Mods", throwOnError: true)!;

        Assert.True(Flag(division, "HasVectorScore"));
        Assert.False(Flag(division, "HasVectorMask"));
        Assert.False(Flag(localDivisor, "HasVectorMask"));
        foreach (int stride in new[] { 1, 3, 64, -7, int.MinValue, int.MaxValue })
        {
            RunChecker(division, Activator.CreateInstance(division, stride)!, heads: 2, seed: stride);
        }
    }

    [Fact]
    public void OtherTranscendentalsAndHelperCallsGetNoVectorForm()
    {
        Type mods = Compile("Scalar", NotVectorizable).GetType("Samples.Scalar+Mods", throwOnError: true)!;
        Assert.False(Flag(mods, "HasVectorScore"));
        Assert.False(Flag(mods, "HasVectorMask"));
    }

    [Fact]
    public void TanhOfALaneValueGetsAVectorFormWithinFourUlp()
    {
        Type mods = Compile("Capped", Capped).GetType("Samples.Capped+Mods", throwOnError: true)!;
        Assert.True(Flag(mods, "HasVectorScore"));
        foreach (float cap in new[] { 30f, 0.25f, -2f })
        {
            RunChecker(mods, Activator.CreateInstance(mods, cap)!, heads: 4, seed: 12, scoreUlps: 4);
        }
    }

    private static void RunChecker(Type mods, object instance, int heads, int seed, int scoreUlps = 0)
        => Invoke(CheckMethod.MakeGenericMethod(mods), null, instance, heads, seed, scoreUlps);

    // Rethrows what the method threw, not the reflection wrapper around it.
    private static object? Invoke(MethodInfo method, object? instance, params object[] arguments)
    {
        try
        {
            return method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    // Span<float> cannot be boxed for reflection: the row methods are called through a delegate of their own signature.
    private static void InvokeRow(MethodInfo rowMethod, object instance, float[] row, int q, int kvFirst)
    {
        var call = (RowMethod)Delegate.CreateDelegate(typeof(RowMethod), instance, rowMethod);
        call(row, 0, 0, q, kvFirst);
    }

    private delegate void RowMethod(Span<float> scores, int batch, int head, int q, int kvFirst);

    private static bool Flag(Type mods, string name) => (bool)mods.GetProperty(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static Assembly Compile(string name, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(($"Samples/{name}.cs", source));
        Assert.Empty(outcome.Diagnostics);
        using var image = new MemoryStream();
        EmitResult emitted = outcome.Output.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(image);
    }
}
