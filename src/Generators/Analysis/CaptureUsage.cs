using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NativeAttention.Generators.Model;

namespace NativeAttention.Generators.Analysis;

/// <summary>
/// Facts about how mods use their indices and captures: which span captures need a minimum length, whether the mask
/// reads spans only at tile-invariant positions, and whether it depends on batch or head.
/// </summary>
internal static class CaptureUsage
{
    private static readonly Dictionary<string, string> DimensionOfIndex = new()
    {
        ["batch"] = "batch",
        ["head"] = "heads",
        ["q"] = "seqKV",
        ["kv"] = "seqKV",
    };

    /// <summary>Span captures indexed by a bare index parameter need at least that dimension's length.</summary>
    public static IEnumerable<LengthRequirement> Requirements(SpecMethod mod)
    {
        foreach (ElementAccessExpressionSyntax access in ElementAccesses(mod))
        {
            if (access.ArgumentList.Arguments[0].Expression is IdentifierNameSyntax index
                && mod.Model.GetSymbolInfo(index).Symbol is IParameterSymbol parameter
                && mod.IndexRole(parameter) is { } role)
            {
                string capture = mod.Model.GetSymbolInfo(access.Expression).Symbol!.Name;
                yield return new LengthRequirement(capture, role, DimensionOfIndex[role]);
            }
        }
    }

    /// <summary>
    /// True when every span read in the mask uses an index that is the same for every pair of a tile (built from
    /// batch, head, scalar captures, lengths and constants), so interval analysis reads it exactly.
    /// </summary>
    public static bool HasStaticTileClassification(SpecMethod mask)
        => !AssignsBatchOrHead(mask) && ElementAccesses(mask).All(access => IsTileInvariant(mask, access.ArgumentList.Arguments[0].Expression));

    public static bool DependsOn(SpecMethod mask, string role)
        => mask.Syntax.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Any(name => mask.Model.GetSymbolInfo(name).Symbol is IParameterSymbol parameter && mask.IndexRole(parameter) == role);

    // A mask that reassigns batch or head could make them depend on q or kv; then they no longer name one tile.
    private static bool AssignsBatchOrHead(SpecMethod mask)
        => mask.Syntax.DescendantNodes()
            .Select(node => node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PrefixUnaryExpressionSyntax prefix => prefix.Operand,
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                _ => null,
            })
            .Any(target => target is not null && mask.Model.GetSymbolInfo(target).Symbol is IParameterSymbol parameter
                && mask.IndexRole(parameter) is "batch" or "head");

    private static IEnumerable<ElementAccessExpressionSyntax> ElementAccesses(SpecMethod mod)
        => mod.Syntax.DescendantNodes().OfType<ElementAccessExpressionSyntax>();

    private static bool IsTileInvariant(SpecMethod mask, ExpressionSyntax index)
    {
        foreach (IdentifierNameSyntax name in index.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            switch (mask.Model.GetSymbolInfo(name).Symbol)
            {
                case IParameterSymbol parameter when mask.IsCapture(parameter):
                case IParameterSymbol indexParameter when mask.IndexRole(indexParameter) is "batch" or "head":
                case IFieldSymbol { IsConst: true }:
                case IPropertySymbol { Name: "Length" }:
                case INamedTypeSymbol:
                case IMethodSymbol:
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }
}
