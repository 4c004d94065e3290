using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// SHA-256 (FIPS 180-4) in managed code, for the kernel cache's keys and entry checks. The first call from a warm disk
/// cache hashes about 30 KB of source and one image; on Linux the platform's SHA-256 first loads and initializes OpenSSL,
/// which costs more than hashing those bytes here, so the cache never touches System.Security.Cryptography.
/// </summary>
internal sealed class KernelCacheSha256
{
    /// <summary>The length of a hash in bytes.</summary>
    public const int HashLength = 32;

    private const int BlockLength = 64;

    private readonly uint[] _state = new uint[8];
    private readonly byte[] _pending = new byte[BlockLength];
    private int _pendingLength;
    private long _totalLength;

    /// <summary>Creates a hasher with nothing appended.</summary>
    public KernelCacheSha256() => Reset();

    // The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4, 4.2.2).
    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>Writes the SHA-256 of <paramref name="data"/> to <paramref name="destination"/> (32 bytes).</summary>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hasher = new KernelCacheSha256();
        hasher.Append(data);
        hasher.GetHashAndReset(destination);
    }

    /// <summary>Appends <paramref name="data"/> to the message.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _totalLength += data.Length;
        if (_pendingLength > 0)
        {
            int taken = Math.Min(BlockLength - _pendingLength, data.Length);
            data[..taken].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += taken;
            data = data[taken..];
            if (_pendingLength < BlockLength)
            {
                return;
            }

            Compress(_state, _pending);
            _pendingLength = 0;
        }

        int whole = data.Length - (data.Length % BlockLength);
        if (whole > 0)
        {
            Compress(_state, data[..whole]);
        }

        data[whole..].CopyTo(_pending);
        _pendingLength = data.Length - whole;
    }

    /// <summary>Writes the hash of everything appended since the last reset (32 bytes), then resets.</summary>
    public void GetHashAndReset(Span<byte> destination)
    {
        if (destination.Length < HashLength)
        {
            throw new ArgumentException($"Expected a destination of at least {HashLength} bytes; actual {destination.Length}.", nameof(destination));
        }

        long bitLength = _totalLength * 8;
        Span<byte> padding = stackalloc byte[2 * BlockLength];
        padding.Clear();
        padding[0] = 0x80;
        int paddingLength = _pendingLength < BlockLength - 8 ? BlockLength - _pendingLength : (2 * BlockLength) - _pendingLength;
        BinaryPrimitives.WriteInt64BigEndian(padding[(paddingLength - 8)..], bitLength);
        Append(padding[..paddingLength]);

        for (int i = 0; i < _state.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 * i)..], _state[i]);
        }

        Reset();
    }

    private void Reset()
    {
        // The first 32 bits of the fractional parts of the square roots of the first 8 primes (FIPS 180-4, 5.3.3).
        _state[0] = 0x6a09e667;
        _state[1] = 0xbb67ae85;
        _state[2] = 0x3c6ef372;
        _state[3] = 0xa54ff53a;
        _state[4] = 0x510e527f;
        _state[5] = 0x9b05688c;
        _state[6] = 0x1f83d9ab;
        _state[7] = 0x5be0cd19;
        _pendingLength = 0;
        _totalLength = 0;
    }

    // Pointers rather than spans: the loops run as precompiled (ReadyToRun) code, which cannot inline the framework's
    // span helpers across assemblies, while the byte swap, unaligned read and rotations are JIT intrinsics everywhere.
    private static unsafe void Compress(Span<uint> state, ReadOnlySpan<byte> blocks)
    {
        uint* w = stackalloc uint[64];
        fixed (byte* data = blocks)
        fixed (uint* k = RoundConstants)
        fixed (uint* s = state)
        {
            for (byte* block = data, end = data + blocks.Length - (blocks.Length % BlockLength); block < end; block += BlockLength)
            {
                for (int t = 0; t < 16; t++)
                {
                    uint word = Unsafe.ReadUnaligned<uint>(block + (4 * t));
                    w[t] = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(word) : word;
                }

                for (int t = 16; t < 64; t++)
                {
                    uint w15 = w[t - 15];
                    uint w2 = w[t - 2];
                    uint sigma0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
                    uint sigma1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
                    w[t] = w[t - 16] + sigma0 + w[t - 7] + sigma1;
                }

                uint a = s[0], b = s[1], c = s[2], d = s[3];
                uint e = s[4], f = s[5], g = s[6], h = s[7];
                for (int t = 0; t < 64; t++)
                {
                    uint sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
                    uint choice = (e & f) ^ (~e & g);
                    uint t1 = h + sum1 + choice + k[t] + w[t];
                    uint sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
                    uint majority = (a & b) ^ (a & c) ^ (b & c);
                    h = g;
                    g = f;
                    f = e;
                    e = d + t1;
                    d = c;
                    c = b;
                    b = a;
                    a = t1 + sum0 + majority;
                }

                s[0] += a;
                s[1] += b;
                s[2] += c;
                s[3] += d;
                s[4] += e;
                s[5] += f;
                s[6] += g;
                s[7] += h;
            }
        }
    }
}
