using System.Collections.Generic;
using System.Text;

namespace NativeAttention.Generators.Emit;

/// <summary>
/// Turns C# identifiers into CUDA identifiers: unchanged unless they are CUDA/C++ keywords or reserved names, or start
/// with the generated code's own <c>na_</c> prefix; those get a trailing underscore. Non-ASCII characters become
/// <c>_uXXXX</c>. (The same rule is documented on AttentionVariantDescriptor.CudaNameRule.)
/// </summary>
internal static class CudaNames
{
    private static readonly HashSet<string> Reserved =
    [
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
        "char", "char16_t", "char32_t", "class", "compl", "const", "const_cast", "constexpr", "continue", "decltype",
        "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false",
        "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept",
        "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
        "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
        "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union",
        "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "restrict",
        "__device__", "__global__", "__host__", "__shared__", "__constant__", "__forceinline__", "__restrict__",
        "threadIdx", "blockIdx", "blockDim", "gridDim", "warpSize", "main", "min", "max", "abs",
    ];

    public static string Mangle(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char character in name)
        {
            if (character < 128)
            {
                builder.Append(character);
            }
            else
            {
                builder.Append("_u").Append(((int)character).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        string ascii = builder.ToString();
        return Reserved.Contains(ascii) || ascii.StartsWith("na_", System.StringComparison.Ordinal)
            ? ascii + "_"
            : ascii;
    }
}
