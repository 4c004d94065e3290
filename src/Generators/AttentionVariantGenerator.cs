using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NativeAttention.Generators.Analysis;
using NativeAttention.Generators.Diagnostics;
using NativeAttention.Generators.Emit;
using NativeAttention.Generators.Model;

namespace NativeAttention.Generators;

/// <summary>
/// Turns every [AttentionVariant] class into X.g.cs: typed Forward overloads, a CPU mod struct, an interval tile
/// classifier, CUDA device functions and a descriptor. Pipeline models hold only strings and equatable arrays, and
/// diagnostics travel in their own output, so unrelated edits leave every step cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AttentionVariantGenerator : IIncrementalGenerator
{
    /// <summary>The tracking name of the per-spec analysis step (for incrementality tests).</summary>
    public const string SpecsStep = "Specs";

    /// <summary>The tracking name of the step that selects the models to emit (valid, and compilable with the AllowUnsafeBlocks setting).</summary>
    public const string SourcesStep = "Sources";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<SpecResult> specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SpecAnalyzer.AttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntaxContext, cancellationToken) => SpecAnalyzer.Analyze(syntaxContext, cancellationToken))
            .WithTrackingName(SpecsStep);

        IncrementalValueProvider<bool> allowUnsafe = context.CompilationProvider
            .Select(static (compilation, _) => compilation.Options is CSharpCompilationOptions { AllowUnsafe: true });

        // Locations stay out of the source path: an edit that only shifts text must not regenerate anything.
        IncrementalValuesProvider<SpecModel> sources = specs
            .Select(static (spec, _) => spec.Model)
            .Where(static model => model is not null)!
            .Combine(allowUnsafe)
            .Where(static pair => pair.Right || !pair.Left!.NeedsUnsafe)
            .Select(static (pair, _) => pair.Left!)
            .WithTrackingName(SourcesStep);

        context.RegisterSourceOutput(specs.Select(static (spec, _) => spec.Diagnostics), static (output, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<(LocationInfo Location, string ClassName)> unsafeRequired = specs
            .Where(static spec => spec.Model is { NeedsUnsafe: true })
            .Select(static (spec, _) => (spec.ClassLocation, spec.Model!.ClassName))
            .Combine(allowUnsafe)
            .Where(static pair => !pair.Right)
            .Select(static (pair, _) => pair.Left);

        context.RegisterSourceOutput(unsafeRequired, static (output, spec)
            => output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsafeBlocksRequired, spec.Location.ToLocation(), spec.ClassName)));

        context.RegisterSourceOutput(sources, static (output, model) => output.AddSource(SourceEmitter.HintName(model), SourceEmitter.Emit(model)));
    }
}
