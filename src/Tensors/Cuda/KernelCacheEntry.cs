using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace NativeAttention;

/// <summary>
/// The on-disk form of one cached compilation: a fixed header (magic, format version, flags, lengths, the cache key
/// and a SHA-256 of the payload) followed by the image and the UTF-8 log. Anything that does not check out exactly
/// (short file, wrong magic, wrong length, wrong key, wrong hash) is rejected, never loaded.
/// </summary>
internal static class KernelCacheEntry
{
    internal const int HeaderLength = 84;
    private const int FormatVersion = 1;
    private const int CubinFlag = 1;
    private static ReadOnlySpan<byte> Magic => "NAKC"u8;

    /// <summary>Serializes <paramref name="compilation"/> for <paramref name="key"/> (64 hex digits).</summary>
    internal static byte[] Serialize(string key, NvrtcCompilation compilation)
    {
        byte[] log = Encoding.UTF8.GetBytes(compilation.Log);
        byte[] entry = new byte[HeaderLength + compilation.Image.Length + log.Length];
        Span<byte> span = entry;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], compilation.IsCubin ? CubinFlag : 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], compilation.Image.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], log.Length);
        if (!KernelCacheKey.TryParse(key, span[20..52]))
        {
            throw new ArgumentException($"Expected a key of {KernelCacheKey.TextLength} lowercase hex digits; actual '{key}'.", nameof(key));
        }

        compilation.Image.CopyTo(span[HeaderLength..]);
        log.CopyTo(span[(HeaderLength + compilation.Image.Length)..]);
        KernelCacheSha256.HashData(span[HeaderLength..], span[52..HeaderLength]);
        return entry;
    }

    /// <summary>Parses an entry; false when it is truncated, corrupt or belongs to another key.</summary>
    internal static bool TryDeserialize(ReadOnlySpan<byte> entry, string key, out NvrtcCompilation? compilation)
    {
        compilation = null;
        if (entry.Length < HeaderLength || !entry[..4].SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt32LittleEndian(entry[4..]) != FormatVersion)
        {
            return false;
        }

        int flags = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
        int imageLength = BinaryPrimitives.ReadInt32LittleEndian(entry[12..]);
        int logLength = BinaryPrimitives.ReadInt32LittleEndian(entry[16..]);
        if ((flags & ~CubinFlag) != 0 || imageLength <= 0 || logLength < 0
            || (long)HeaderLength + imageLength + logLength != entry.Length)
        {
            return false;
        }

        Span<byte> expectedKey = stackalloc byte[KernelCacheSha256.HashLength];
        if (!KernelCacheKey.TryParse(key, expectedKey) || !entry[20..52].SequenceEqual(expectedKey))
        {
            return false;
        }

        // The hash guards against damage (a torn or bit-flipped file), not against an attacker: whoever can write the
        // folder can write a matching hash, so a plain comparison is enough.
        Span<byte> payloadHash = stackalloc byte[KernelCacheSha256.HashLength];
        KernelCacheSha256.HashData(entry[HeaderLength..], payloadHash);
        if (!payloadHash.SequenceEqual(entry[52..HeaderLength]))
        {
            return false;
        }

        byte[] image = entry.Slice(HeaderLength, imageLength).ToArray();
        string log = Encoding.UTF8.GetString(entry.Slice(HeaderLength + imageLength, logLength));
        compilation = new NvrtcCompilation(image, (flags & CubinFlag) != 0, log);
        return true;
    }

    /// <summary>Writes <paramref name="entry"/> to a unique temporary file in the same folder, then renames it over <paramref name="path"/>.</summary>
    internal static void WriteAtomically(string path, byte[] entry)
    {
        string directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $"{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(entry);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
