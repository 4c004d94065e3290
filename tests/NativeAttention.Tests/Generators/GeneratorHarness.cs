using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NativeAttention.Generators;

namespace NativeAttention.Tests.Generators;

/// <summary>Runs the attention-variant generator over in-memory sources with CSharpGeneratorDriver.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Source)> files, bool allowUnsafe = true)
        => CSharpCompilation.Create(
            "GeneratorSamples",
            files.Select(file => CSharpSyntaxTree.ParseText(file.Source, ParseOptions, file.Path)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            [new AttentionVariantGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once and returns the output compilation, generator diagnostics and results.</summary>
    public static GeneratorOutcome Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorOutcome(output, diagnostics, driver.GetRunResult().Results.Single());
    }

    public static GeneratorOutcome Run(params (string Path, string Source)[] files) => Run(CreateCompilation(files));
}

/// <summary>The result of one generator run.</summary>
internal sealed record GeneratorOutcome(Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorRunResult Result);
