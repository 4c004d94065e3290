using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NativeAttention.Generators.Analysis;

/// <summary>
/// Which span reads the host proves in range before a GPU launch: those indexed by a bare index parameter of the mod
/// (the shape <see cref="CaptureUsage.Requirements"/> turns into a length check) that the mod never reassigns. Every
/// other read is bounds-checked on the device.
/// </summary>
internal static class ProvenSpanIndex
{
    public static bool IsProven(SpecMethod method, ElementAccessExpressionSyntax access)
        => access.ArgumentList.Arguments[0].Expression is IdentifierNameSyntax index
            && method.Model.GetSymbolInfo(index).Symbol is IParameterSymbol parameter
            && method.IndexRole(parameter) is not null
            && !IsAssigned(method, parameter);

    // The host checks the length against the index's dimension, which bounds the value the kernel passes in; a mod
    // that changes the parameter first reads at a position the check never saw.
    private static bool IsAssigned(SpecMethod method, IParameterSymbol parameter)
        => method.Syntax.DescendantNodes()
            .Select(node => node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PrefixUnaryExpressionSyntax prefix when prefix.OperatorToken.Text is "++" or "--" => prefix.Operand,
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                _ => null,
            })
            .Any(target => target is not null && SymbolEqualityComparer.Default.Equals(method.Model.GetSymbolInfo(target).Symbol, parameter));
}
