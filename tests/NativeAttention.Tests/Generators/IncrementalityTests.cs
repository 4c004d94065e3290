using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NativeAttention.Generators;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>Edits that cannot change the output leave every generator step cached or unchanged.</summary>
public sealed class IncrementalityTests
{
    private const string Spec = """
        using NativeAttention;

        namespace Samples;

        [AttentionVariant]
        public static partial class Windowed
        {
            [MaskMod]
            static bool Mask(int batch, int head, int q, int kv, int window)
            {
                // keep the recent window
                return kv <= q && q - kv < window;
            }
        }
        """;

    private const string Unrelated = "namespace Samples; public static class Unrelated { public static int Answer => 42; }";

    [Fact]
    public void EditingACommentInTheSpecRegeneratesNothing()
        => AssertUnchangedAfter(tree => tree.FilePath == "Windowed.cs",
            source => source.Replace("// keep the recent window", "// keep the most recent positions"));

    [Fact]
    public void EditingAnUnrelatedFileRegeneratesNothing()
        => AssertUnchangedAfter(tree => tree.FilePath == "Unrelated.cs",
            source => source.Replace("42", "43"));

    [Fact]
    public void EditingTheMaskRegeneratesTheSource()
    {
        (GeneratorRunResult second, _) = RunTwice(tree => tree.FilePath == "Windowed.cs", source => source.Replace("kv <= q &&", "kv < q &&"));
        Assert.Contains(second.TrackedSteps[AttentionVariantGenerator.SpecsStep].SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("kv < q", second.GeneratedSources.Single().SourceText.ToString(), System.StringComparison.Ordinal);
    }

    private static void AssertUnchangedAfter(System.Func<SyntaxTree, bool> which, System.Func<string, string> edit)
    {
        (GeneratorRunResult second, string firstText) = RunTwice(which, edit);
        foreach (string stepName in new[] { AttentionVariantGenerator.SpecsStep, AttentionVariantGenerator.SourcesStep })
        {
            var reasons = second.TrackedSteps[stepName].SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{stepName}: {reason}"));
        }

        var sourceOutputs = second.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {reason}"));
        Assert.Equal(firstText, second.GeneratedSources.Single().SourceText.ToString());
    }

    private static (GeneratorRunResult Second, string FirstText) RunTwice(System.Func<SyntaxTree, bool> which, System.Func<string, string> edit)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([("Windowed.cs", Spec), ("Unrelated.cs", Unrelated)]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        string firstText = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();

        SyntaxTree old = compilation.SyntaxTrees.Single(which);
        string edited = edit(old.ToString());
        Assert.NotEqual(old.ToString(), edited);
        CSharpCompilation next = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(edited, GeneratorHarness.ParseOptions, old.FilePath, cancellationToken: TestContext.Current.CancellationToken));
        driver = driver.RunGenerators(next, TestContext.Current.CancellationToken);
        return (driver.GetRunResult().Results.Single(), firstText);
    }
}
