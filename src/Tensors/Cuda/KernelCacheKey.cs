using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace NativeAttention;

/// <summary>
/// The kernel cache key: SHA-256 over the length-prefixed UTF-8 of each input, and its text form (64 lowercase hex
/// digits, also the entry's file name). The hex conversions are plain loops: the framework's vectorized ones are not
/// precompiled, and a new process would pay their JIT on its first kernel.
/// </summary>
internal static class KernelCacheKey
{
    /// <summary>The length of the key's text form.</summary>
    public const int TextLength = 2 * KernelCacheSha256.HashLength;

    /// <summary>Writes the key of these inputs to <paramref name="destination"/> (32 bytes).</summary>
    public static void Compute(string source, IReadOnlyList<string> options, string arch, string compilerVersion, Span<byte> destination)
    {
        var hasher = new KernelCacheSha256();
        Append(hasher, "source", source);
        Append(hasher, "arch", arch);
        Append(hasher, "compiler", compilerVersion);
        for (int i = 0; i < options.Count; i++)
        {
            Append(hasher, "option", options[i]);
        }

        hasher.GetHashAndReset(destination);
    }

    /// <summary>Returns the text form of a 32-byte key.</summary>
    public static string ToText(ReadOnlySpan<byte> key)
    {
        Span<char> text = stackalloc char[TextLength];
        for (int i = 0; i < KernelCacheSha256.HashLength; i++)
        {
            text[2 * i] = HexDigit(key[i] >> 4);
            text[(2 * i) + 1] = HexDigit(key[i] & 0xf);
        }

        return new string(text);
    }

    /// <summary>Parses the text form of a key into <paramref name="destination"/> (32 bytes); false when it is not 64 lowercase hex digits.</summary>
    public static bool TryParse(string text, Span<byte> destination)
    {
        if (text.Length != TextLength)
        {
            return false;
        }

        for (int i = 0; i < KernelCacheSha256.HashLength; i++)
        {
            int high = HexValue(text[2 * i]);
            int low = HexValue(text[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static void Append(KernelCacheSha256 hasher, string field, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> prefix = stackalloc byte[8 + 16];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, field.Length);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[4..], bytes.Length);

        // Field names are short ASCII literals of this class.
        for (int i = 0; i < field.Length; i++)
        {
            prefix[8 + i] = (byte)field[i];
        }

        hasher.Append(prefix[..(8 + field.Length)]);
        hasher.Append(bytes);
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);

    private static int HexValue(char digit) => digit switch
    {
        >= '0' and <= '9' => digit - '0',
        >= 'a' and <= 'f' => digit - 'a' + 10,
        _ => -1,
    };
}
