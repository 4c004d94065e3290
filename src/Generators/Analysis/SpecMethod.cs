using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NativeAttention.Generators.Analysis;

/// <summary>What a spec method is for.</summary>
internal enum SpecMethodRole
{
    Score,
    Mask,
    Helper,
}

/// <summary>
/// A spec method with its syntax and semantic model, used only inside one transform step (never stored in a
/// pipeline model).
/// </summary>
internal sealed class SpecMethod
{
    public SpecMethod(IMethodSymbol symbol, MethodDeclarationSyntax syntax, SemanticModel model, SpecMethodRole role)
    {
        Symbol = symbol;
        Syntax = syntax;
        Model = model;
        Role = role;
    }

    public IMethodSymbol Symbol { get; }

    public MethodDeclarationSyntax Syntax { get; }

    public SemanticModel Model { get; }

    public SpecMethodRole Role { get; }

    /// <summary>Gets the index of the first capture parameter (after score and indices); helpers have none.</summary>
    public int FirstCapture => Role switch
    {
        SpecMethodRole.Score => 5,
        SpecMethodRole.Mask => 4,
        _ => int.MaxValue,
    };

    /// <summary>Gets the index of the batch parameter, or -1 for helpers.</summary>
    public int FirstIndex => Role switch
    {
        SpecMethodRole.Score => 1,
        SpecMethodRole.Mask => 0,
        _ => -1,
    };

    public bool IsCapture(IParameterSymbol parameter)
        => parameter.Ordinal >= FirstCapture && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, Symbol);

    /// <summary>Returns "batch", "head", "q" or "kv" when the parameter is one of the mod's index parameters.</summary>
    public string? IndexRole(IParameterSymbol parameter)
    {
        if (FirstIndex < 0 || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, Symbol))
        {
            return null;
        }

        return (parameter.Ordinal - FirstIndex) switch
        {
            0 => "batch",
            1 => "head",
            2 => "q",
            3 => "kv",
            _ => null,
        };
    }
}
