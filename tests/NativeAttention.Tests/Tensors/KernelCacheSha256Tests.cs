using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace NativeAttention.Tests.Tensors;

/// <summary>
/// The kernel cache's managed SHA-256 against the FIPS 180-4 examples and the platform's SHA-256, and the cache key
/// against the key the cache computed with the platform's hash before (so existing cache folders stay valid).
/// </summary>
public sealed class KernelCacheSha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void KnownMessagesHashToTheStandardsDigests(string message, string expected)
    {
        Assert.Equal(expected, Hex(Managed(Encoding.ASCII.GetBytes(message))));
    }

    [Fact]
    public void AMillionLettersHashToTheStandardsDigest()
    {
        byte[] message = new byte[1_000_000];
        message.AsSpan().Fill((byte)'a');

        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Hex(Managed(message)));
    }

    [Fact]
    public void EveryLengthAroundTheBlockAndPaddingEdgesMatchesThePlatform()
    {
        var random = new Random(17);
        for (int length = 0; length <= 300; length++)
        {
            byte[] message = new byte[length];
            random.NextBytes(message);

            Assert.True(SHA256.HashData(message).AsSpan().SequenceEqual(Managed(message)), $"length {length}");
        }
    }

    [Fact]
    public void PiecewiseAppendsGiveTheSameHashAsOneAppend()
    {
        var random = new Random(5);
        byte[] message = new byte[100_003];
        random.NextBytes(message);
        byte[] expected = SHA256.HashData(message);

        for (int trial = 0; trial < 20; trial++)
        {
            var hasher = new KernelCacheSha256();
            int offset = 0;
            while (offset < message.Length)
            {
                int length = Math.Min(message.Length - offset, random.Next(0, trial < 10 ? 70 : 5000));
                hasher.Append(message.AsSpan(offset, length));
                offset += length;
            }

            byte[] actual = new byte[KernelCacheSha256.HashLength];
            hasher.GetHashAndReset(actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void AHasherIsReusableAfterGetHashAndReset()
    {
        var hasher = new KernelCacheSha256();
        byte[] first = new byte[KernelCacheSha256.HashLength];
        byte[] second = new byte[KernelCacheSha256.HashLength];
        hasher.Append("some bytes that are not hashed twice"u8);
        hasher.GetHashAndReset(first);
        hasher.Append("abc"u8);
        hasher.GetHashAndReset(second);

        Assert.Equal(SHA256.HashData("some bytes that are not hashed twice"u8), first);
        Assert.Equal(SHA256.HashData("abc"u8), second);
    }

    [Fact]
    public void AShortDestinationIsRejectedWithItsLength()
    {
        var exception = Assert.Throws<ArgumentException>(() => new KernelCacheSha256().GetHashAndReset(new byte[31]));
        Assert.Equal("destination", exception.ParamName);
        Assert.Contains("actual 31", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extern \"C\" __global__ void k() {}", "sm_90a", "nvrtc-13.0")]
    [InlineData("", "compute_80", "nvrtc-11.8")]
    [InlineData("// ünïcødé ☃ and a long line ........................................................................", "sm_80", "x")]
    public void TheCacheKeyIsTheOneThePlatformHashGave(string source, string arch, string compilerVersion)
    {
        string[] options = ["-std=c++17", "-DNA_DTYPE=__nv_bfloat16", "-DNA_HEAD_DIM=128"];

        Assert.Equal(PlatformKey(source, options, arch, compilerVersion), KernelCache.ComputeKey(source, options, arch, compilerVersion));
        Assert.Equal(PlatformKey(source, [], arch, compilerVersion), KernelCache.ComputeKey(source, [], arch, compilerVersion));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550")]
    public void KeyTextThatIsNot64LowercaseHexDigitsDoesNotParse(string text)
    {
        Assert.False(KernelCacheKey.TryParse(text, new byte[KernelCacheSha256.HashLength]));
    }

    [Fact]
    public void KeyTextRoundTrips()
    {
        byte[] key = SHA256.HashData("round trip"u8);
        byte[] parsed = new byte[KernelCacheSha256.HashLength];

        string text = KernelCacheKey.ToText(key);

        Assert.Equal(Convert.ToHexStringLower(key), text);
        Assert.True(KernelCacheKey.TryParse(text, parsed));
        Assert.Equal(key, parsed);
    }

    private static byte[] Managed(ReadOnlySpan<byte> message)
    {
        byte[] hash = new byte[KernelCacheSha256.HashLength];
        KernelCacheSha256.HashData(message, hash);
        return hash;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    // The key as KernelCache computed it with IncrementalHash before it had its own SHA-256.
    private static string PlatformKey(string source, string[] options, string arch, string compilerVersion)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Append(string field, string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            byte[] prefix = new byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(prefix, field.Length);
            BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(4), bytes.Length);
            hash.AppendData(prefix);
            hash.AppendData(Encoding.ASCII.GetBytes(field));
            hash.AppendData(bytes);
        }

        Append("source", source);
        Append("arch", arch);
        Append("compiler", compilerVersion);
        foreach (string option in options)
        {
            Append("option", option);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
