using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NativeAttention.Generators.Diagnostics;
using NativeAttention.Generators.Emit;
using NativeAttention.Generators.Model;

namespace NativeAttention.Generators.Analysis;

/// <summary>
/// Turns one [AttentionVariant] class into a <see cref="SpecResult"/>: checks its shape, its mods' signatures and
/// bodies, then emits the CUDA source and the interval classifier while the semantic model is at hand.
/// </summary>
internal static class SpecAnalyzer
{
    public const string AttributeName = "NativeAttention.AttentionVariantAttribute";
    private const string ScoreModAttribute = "NativeAttention.ScoreModAttribute";
    private const string MaskModAttribute = "NativeAttention.MaskModAttribute";
    private static readonly HashSet<string> ReservedNames = ["query", "key", "value", "output", "options"];

    public static SpecResult Analyze(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        var spec = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        Location classLocation = declaration.Identifier.GetLocation();
        SpecResult Fail() => new(null, diagnostics.ToEquatableArray(), LocationInfo.From(classLocation));

        if (!spec.IsStatic || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpecNotStaticPartial, classLocation, spec.Name));
        }

        if (spec.ContainingType is not null || spec.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSpecShape, classLocation, spec.Name));
        }

        // A partial spec spread over several files is analyzed once, from the declaration that carries the attribute.
        SpecMethod? score = null, mask = null;
        foreach (IMethodSymbol method in spec.GetMembers().OfType<IMethodSymbol>())
        {
            bool isScore = HasAttribute(method, ScoreModAttribute), isMask = HasAttribute(method, MaskModAttribute);
            if (!isScore && !isMask)
            {
                continue;
            }

            var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null)
                ?? (MethodDeclarationSyntax)method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            var model = context.SemanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
            if (isScore)
            {
                if (score is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateScoreMod, syntax.Identifier.GetLocation(), spec.Name, score.Symbol.Name));
                }
                else
                {
                    score = new SpecMethod(method, syntax, model, SpecMethodRole.Score);
                }
            }

            if (isMask)
            {
                if (mask is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateMaskMod, syntax.Identifier.GetLocation(), spec.Name, mask.Symbol.Name));
                }
                else
                {
                    mask = new SpecMethod(method, syntax, model, SpecMethodRole.Mask);
                }
            }
        }

        if (score is null && mask is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoMods, classLocation, spec.Name));
            return Fail();
        }

        bool signaturesValid = (score is null || CheckModSignature(score, diagnostics)) & (mask is null || CheckModSignature(mask, diagnostics));
        if (!signaturesValid)
        {
            return Fail();
        }

        List<CaptureModel>? captures = CollectCaptures(score, mask, diagnostics);
        List<SpecMethod> helpers = CheckBodies(spec, score, mask, diagnostics, cancellationToken, out List<SpecMethod> maskHelpers);
        if (diagnostics.Count > 0 || captures is null)
        {
            return Fail();
        }

        // The compiler already reports errors inside the spec's methods; emitting from half-bound code helps no one.
        if (new[] { score, mask }.OfType<SpecMethod>().Concat(helpers).Any(method => HasCompilerErrors(method, cancellationToken)))
        {
            return Fail();
        }

        string sourcePath = declaration.SyntaxTree.FilePath;
        bool hasScoreMod = score is not null && !IsIdentity(score);
        var cudaEmitter = new CudaEmitter(spec.Name, sourcePath, captures);
        string cudaSource = cudaEmitter.Emit(spec.ToDisplayString(), score, hasScoreMod, mask, helpers, captures);
        int faultOffset = cudaEmitter.CaptureFaultOffset;
        string intervalMembers = mask is null ? string.Empty : new IntervalEmitter().Emit(mask, maskHelpers);
        string? vectorScore = hasScoreMod ? VectorEmitter.TryEmit(score!) : null;
        string? vectorMask = mask is null ? null : VectorEmitter.TryEmit(mask);
        var requirements = (score is null ? [] : CaptureUsage.Requirements(score))
            .Concat(mask is null ? [] : CaptureUsage.Requirements(mask))
            .Distinct()
            .ToEquatableArray();

        var modelResult = new SpecModel(
            Namespace: spec.ContainingNamespace.IsGlobalNamespace ? null : spec.ContainingNamespace.ToDisplayString(),
            ClassName: spec.Name,
            Accessibility: spec.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            FullName: spec.ToDisplayString(),
            SourcePath: sourcePath,
            SourceLine: declaration.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1,
            Captures: captures.ToEquatableArray(),
            ScoreMethod: score?.Symbol.Name,
            ScoreCaptures: (score?.Symbol.Parameters.Skip(score.FirstCapture).Select(p => p.Name) ?? []).ToEquatableArray(),
            MaskMethod: mask?.Symbol.Name,
            MaskCaptures: (mask?.Symbol.Parameters.Skip(mask.FirstCapture).Select(p => p.Name) ?? []).ToEquatableArray(),
            HasScoreMod: hasScoreMod,
            HasStaticTileClassification: mask is null || CaptureUsage.HasStaticTileClassification(mask),
            MaskDependsOnBatch: mask is not null && CaptureUsage.DependsOn(mask, "batch"),
            MaskDependsOnHead: mask is not null && CaptureUsage.DependsOn(mask, "head"),
            Requirements: requirements,
            CapturesSize: faultOffset < 0 ? CapturesSize(captures) : faultOffset + 8,
            CaptureFaultOffset: faultOffset,
            CudaSource: cudaSource,
            IntervalMembers: intervalMembers,
            HasVectorScore: vectorScore is not null,
            HasVectorMask: vectorMask is not null,
            VectorMembers: vectorScore + vectorMask);
        return new SpecResult(modelResult, EquatableArray<DiagnosticInfo>.Empty, LocationInfo.From(classLocation));
    }

    private static bool HasCompilerErrors(SpecMethod method, CancellationToken cancellationToken)
        => method.Model.GetDiagnostics(method.Syntax.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);

    private static bool HasAttribute(ISymbol symbol, string attributeName)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == attributeName);

    private static bool CheckModSignature(SpecMethod mod, List<DiagnosticInfo> diagnostics)
    {
        IMethodSymbol method = mod.Symbol;
        bool isScore = mod.Role == SpecMethodRole.Score;
        DiagnosticDescriptor descriptor = isScore ? DiagnosticDescriptors.InvalidScoreModSignature : DiagnosticDescriptors.InvalidMaskModSignature;
        string? problem = null;
        if (!method.IsStatic)
        {
            problem = "it is not static";
        }
        else if (method.IsGenericMethod)
        {
            problem = "it is generic";
        }
        else if (mod.Syntax.Body is null && mod.Syntax.ExpressionBody is null)
        {
            problem = "it has no body";
        }
        else if (isScore ? !SpecTypes.IsFloat(method.ReturnType) : !SpecTypes.IsBool(method.ReturnType))
        {
            problem = $"it returns '{SpecTypes.Display(method.ReturnType)}'";
        }
        else if (method.Parameters.Length < mod.FirstCapture)
        {
            problem = $"it has {method.Parameters.Length} parameters before the captures, not {mod.FirstCapture}";
        }
        else
        {
            for (int i = 0; i < mod.FirstCapture && problem is null; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                bool typeOk = isScore && i == 0 ? SpecTypes.IsFloat(parameter.Type) : SpecTypes.IsInt(parameter.Type);
                if (!typeOk || parameter.RefKind != RefKind.None)
                {
                    problem = $"parameter {i + 1} ('{parameter.Name}') is '{SpecTypes.Display(parameter.Type)}'{(parameter.RefKind != RefKind.None ? " by reference" : string.Empty)}";
                }
            }
        }

        if (problem is null)
        {
            return true;
        }

        diagnostics.Add(DiagnosticInfo.Create(descriptor, mod.Syntax.Identifier.GetLocation(), method.Name, problem));
        return false;
    }

    private static List<CaptureModel>? CollectCaptures(SpecMethod? score, SpecMethod? mask, List<DiagnosticInfo> diagnostics)
    {
        var kinds = new Dictionary<string, (CaptureKind Kind, string TypeName)>();
        var order = new List<string>();
        bool valid = true;
        foreach (SpecMethod mod in new[] { score, mask }.OfType<SpecMethod>())
        {
            foreach (IParameterSymbol parameter in mod.Symbol.Parameters.Skip(mod.FirstCapture))
            {
                Location location = parameter.Locations.FirstOrDefault() ?? mod.Syntax.Identifier.GetLocation();
                if (parameter.RefKind != RefKind.None || parameter.IsParams)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RefOut, location, parameter.ToDisplayString()));
                    valid = false;
                    continue;
                }

                CaptureKind? kind = SpecTypes.SpanElement(parameter.Type) switch
                {
                    "float" => CaptureKind.FloatSpan,
                    "int" => CaptureKind.IntSpan,
                    _ => SpecTypes.IsFloat(parameter.Type) ? CaptureKind.Float : SpecTypes.IsInt(parameter.Type) ? CaptureKind.Int : null,
                };
                string typeName = SpecTypes.Display(parameter.Type);
                if (kind is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidCaptureType, location, parameter.Name, typeName));
                    valid = false;
                    continue;
                }

                if (ReservedNames.Contains(parameter.Name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedCaptureName, location, parameter.Name));
                    valid = false;
                    continue;
                }

                if (kinds.TryGetValue(parameter.Name, out var existing))
                {
                    if (existing.Kind != kind.Value)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CaptureTypeClash, location, parameter.Name, typeName, existing.TypeName));
                        valid = false;
                    }

                    continue;
                }

                kinds.Add(parameter.Name, (kind.Value, typeName));
                order.Add(parameter.Name);
            }
        }

        if (!valid)
        {
            return null;
        }

        var captures = new List<CaptureModel>();
        int offset = 0;
        foreach (string name in order)
        {
            CaptureKind kind = kinds[name].Kind;
            string cudaName = CudaNames.Mangle(name);
            if (kind is CaptureKind.FloatSpan or CaptureKind.IntSpan)
            {
                offset = Align(offset, 8);
                captures.Add(new CaptureModel(name, kind, cudaName, offset, offset + 8));
                offset += 12;
            }
            else
            {
                offset = Align(offset, 4);
                captures.Add(new CaptureModel(name, kind, cudaName, offset, -1));
                offset += 4;
            }
        }

        return captures;
    }

    private static int CapturesSize(List<CaptureModel> captures)
    {
        if (captures.Count == 0)
        {
            return 4;
        }

        CaptureModel last = captures[captures.Count - 1];
        int end = last.IsSpan ? last.LengthOffset + 4 : last.Offset + 4;
        return Align(end, captures.Any(c => c.IsSpan) ? 8 : 4);
    }

    private static int Align(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    /// <summary>Checks the mods and every spec method they reach; returns the helpers in a stable order.</summary>
    private static List<SpecMethod> CheckBodies(INamedTypeSymbol spec, SpecMethod? score, SpecMethod? mask, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, out List<SpecMethod> maskHelpers)
    {
        var calls = new Dictionary<IMethodSymbol, List<(IMethodSymbol Callee, Location Site)>>(SymbolEqualityComparer.Default);
        var helpers = new Dictionary<IMethodSymbol, SpecMethod?>(SymbolEqualityComparer.Default);
        var pending = new Queue<SpecMethod>(new[] { score, mask }.OfType<SpecMethod>());
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SpecMethod method = pending.Dequeue();
            var checker = new BodyChecker(method.Model, spec, method.Symbol, method.FirstCapture, diagnostics);
            checker.CheckBody(method.Syntax);
            calls[method.Symbol] = checker.Calls;
            foreach ((IMethodSymbol callee, Location site) in checker.Calls)
            {
                if (helpers.ContainsKey(callee) || SymbolEqualityComparer.Default.Equals(callee, score?.Symbol) || SymbolEqualityComparer.Default.Equals(callee, mask?.Symbol))
                {
                    if (!helpers.ContainsKey(callee) && !SymbolEqualityComparer.Default.Equals(callee, method.Symbol))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHelperSignature, site, callee.Name, "a mod cannot be called as a helper"));
                    }

                    continue;
                }

                SpecMethod? helper = CreateHelper(callee, site, method.Model.Compilation, diagnostics, cancellationToken);
                helpers[callee] = helper;
                if (helper is not null)
                {
                    pending.Enqueue(helper);
                }
            }
        }

        ReportRecursion(new[] { score, mask }.OfType<SpecMethod>().Select(m => m.Symbol), calls, diagnostics);
        List<SpecMethod> ordered = helpers.Values.OfType<SpecMethod>().OrderBy(h => h.Symbol.Name, System.StringComparer.Ordinal)
            .ThenBy(h => h.Syntax.SpanStart).ToList();
        var reachableFromMask = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (mask is not null)
        {
            Reach(mask.Symbol, calls, reachableFromMask);
        }

        maskHelpers = ordered.Where(h => reachableFromMask.Contains(h.Symbol)).ToList();
        return ordered;
    }

    private static SpecMethod? CreateHelper(IMethodSymbol callee, Location site, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        MethodDeclarationSyntax? syntax = callee.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
        string? problem = null;
        if (syntax is null)
        {
            problem = "it has no body";
        }
        else if (callee.IsGenericMethod)
        {
            problem = "it is generic";
        }
        else if (!SpecTypes.IsScalar(callee.ReturnType))
        {
            problem = $"it returns '{SpecTypes.Display(callee.ReturnType)}'";
        }
        else if (callee.Parameters.FirstOrDefault(p => !SpecTypes.IsScalar(p.Type) || p.RefKind != RefKind.None) is { } bad)
        {
            problem = $"its parameter '{bad.Name}' is '{SpecTypes.Display(bad.Type)}'{(bad.RefKind != RefKind.None ? " by reference" : string.Empty)}";
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHelperSignature, site, callee.Name, problem));
            return null;
        }

        return new SpecMethod(callee, syntax!, compilation.GetSemanticModel(syntax!.SyntaxTree), SpecMethodRole.Helper);
    }

    private static void ReportRecursion(IEnumerable<IMethodSymbol> roots, Dictionary<IMethodSymbol, List<(IMethodSymbol Callee, Location Site)>> calls, List<DiagnosticInfo> diagnostics)
    {
        var done = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var onStack = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var reported = new HashSet<Location>();

        void Visit(IMethodSymbol method)
        {
            if (done.Contains(method) || !calls.TryGetValue(method, out var edges))
            {
                return;
            }

            onStack.Add(method);
            foreach ((IMethodSymbol callee, Location site) in edges)
            {
                if (onStack.Contains(callee))
                {
                    if (reported.Add(site))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Recursion, site, callee.Name));
                    }
                }
                else
                {
                    Visit(callee);
                }
            }

            onStack.Remove(method);
            done.Add(method);
        }

        foreach (IMethodSymbol root in roots)
        {
            Visit(root);
        }
    }

    private static void Reach(IMethodSymbol method, Dictionary<IMethodSymbol, List<(IMethodSymbol Callee, Location Site)>> calls, HashSet<IMethodSymbol> reached)
    {
        if (!calls.TryGetValue(method, out var edges))
        {
            return;
        }

        foreach ((IMethodSymbol callee, _) in edges)
        {
            if (reached.Add(callee))
            {
                Reach(callee, calls, reached);
            }
        }
    }

    private static bool IsIdentity(SpecMethod score)
    {
        ExpressionSyntax? returned = score.Syntax.ExpressionBody?.Expression
            ?? (score.Syntax.Body is { Statements.Count: 1 } body && body.Statements[0] is ReturnStatementSyntax { Expression: { } e } ? e : null);
        while (returned is ParenthesizedExpressionSyntax parenthesized)
        {
            returned = parenthesized.Expression;
        }

        return returned is IdentifierNameSyntax name
            && score.Model.GetSymbolInfo(name).Symbol is IParameterSymbol { Ordinal: 0 } parameter
            && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, score.Symbol);
    }
}
