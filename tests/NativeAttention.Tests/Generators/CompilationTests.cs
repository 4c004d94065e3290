using System.Linq;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>The generated code of every sample compiles, alone and all together, without errors or warnings.</summary>
public sealed class CompilationTests
{
    [Fact]
    public void AllSamplesCompileWithTheirGeneratedCode()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Samples.All.Select(sample => ($"Samples/{sample.Name}.cs", sample.Source)).ToArray());
        Assert.Empty(outcome.Diagnostics);
        Assert.Equal(Samples.All.Length, outcome.Result.GeneratedSources.Length);
        var problems = outcome.Output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
