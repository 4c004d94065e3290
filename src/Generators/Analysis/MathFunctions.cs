using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NativeAttention.Generators.Analysis;

/// <summary>The Math/MathF functions a spec may call, and their CUDA and interval forms.</summary>
internal static class MathFunctions
{
    private static readonly Dictionary<string, (string Float, string? Int, int Arity)> Table = new()
    {
        ["Abs"] = ("fabsf", "abs", 1),
        ["Min"] = ("fminf", "min", 2),
        ["Max"] = ("fmaxf", "max", 2),
        ["Clamp"] = ("na_math_clampf", "na_math_clamp", 3),
        ["Sign"] = ("na_math_signf", "na_math_sign", 1),
        ["Exp"] = ("expf", null, 1),
        ["Log"] = ("logf", null, 1),
        ["Log2"] = ("log2f", null, 1),
        ["Tanh"] = ("na_math_tanhf", null, 1),
        ["Sqrt"] = ("sqrtf", null, 1),
        ["Pow"] = ("powf", null, 2),
        ["Floor"] = ("floorf", null, 1),
        ["Ceiling"] = ("ceilf", null, 1),
        ["Round"] = ("rintf", null, 1),
    };

    public static bool IsMathType(INamedTypeSymbol? type)
        => type is { Name: "Math" or "MathF" } && type.ContainingNamespace?.ToDisplayString() == "System";

    /// <summary>Whether the resolved overload is one a spec may call: a listed name, its arity, all-float or all-int.</summary>
    public static bool IsSupported(IMethodSymbol method)
    {
        if (!Table.TryGetValue(method.Name, out var entry) || method.Parameters.Length != entry.Arity)
        {
            return false;
        }

        bool allFloat = method.Parameters.All(p => SpecTypes.IsFloat(p.Type));
        bool allInt = method.Parameters.All(p => SpecTypes.IsInt(p.Type));
        return allFloat || (allInt && entry.Int is not null);
    }

    /// <summary>Returns the CUDA function for a supported overload.</summary>
    public static string CudaName(IMethodSymbol method)
    {
        var entry = Table[method.Name];
        return SpecTypes.IsFloat(method.Parameters[0].Type) ? entry.Float : entry.Int!;
    }
}
