using Microsoft.CodeAnalysis;

namespace NativeAttention.Generators.Analysis;

/// <summary>Recognizes the types a spec may use.</summary>
internal static class SpecTypes
{
    public static bool IsFloat(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Single;

    public static bool IsInt(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Int32;

    public static bool IsBool(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Boolean;

    public static bool IsScalar(ITypeSymbol? type) => IsFloat(type) || IsInt(type) || IsBool(type);

    /// <summary>Returns "float" or "int" for ReadOnlySpan&lt;float&gt; / ReadOnlySpan&lt;int&gt;, otherwise null.</summary>
    public static string? SpanElement(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { IsGenericType: true, Name: "ReadOnlySpan" } named
            && named.ContainingNamespace?.ToDisplayString() == "System")
        {
            ITypeSymbol element = named.TypeArguments[0];
            return IsFloat(element) ? "float" : IsInt(element) ? "int" : null;
        }

        return null;
    }

    public static string Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
}
