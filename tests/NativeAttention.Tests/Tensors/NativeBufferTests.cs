using System;
using System.Runtime.InteropServices;
using Xunit;

namespace NativeAttention.Tests.Tensors;

public sealed unsafe class NativeBufferTests
{
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct ThreeBytes
    {
        public byte A;
        public byte B;
        public byte C;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(4096)]
    [InlineData(1_000_003)]
    public void PointerIsSixtyFourByteAlignedForEveryElementType(int length)
    {
        using NativeBuffer<byte> bytes = new(length);
        using NativeBuffer<ThreeBytes> odd = new(length);
        using NativeBuffer<float> floats = new(length);
        using NativeBuffer<double> doubles = new(length);

        Assert.Equal(0u, (nuint)bytes.Pointer % 64);
        Assert.Equal(0u, (nuint)odd.Pointer % 64);
        Assert.Equal(0u, (nuint)floats.Pointer % 64);
        Assert.Equal(0u, (nuint)doubles.Pointer % 64);
    }

    [Fact]
    public void SpanCoversExactlyTheBufferAndSharesItsMemory()
    {
        using NativeBuffer<int> buffer = new(1000);
        Span<int> span = buffer.Span;
        Assert.Equal(1000, buffer.Length);
        Assert.Equal(1000, span.Length);

        for (int i = 0; i < span.Length; i++)
        {
            span[i] = i * 3;
        }

        for (int i = 0; i < buffer.Length; i++)
        {
            Assert.Equal(i * 3, buffer.Pointer[i]);
        }

        fixed (int* first = span)
        {
            Assert.True(first == buffer.Pointer);
        }
    }

    [Fact]
    public void NegativeLengthIsRejectedNamingTheArgument()
    {
        ArgumentOutOfRangeException exception = Assert.Throws<ArgumentOutOfRangeException>("length", () => new NativeBuffer<float>(-1));
        Assert.Equal(-1, exception.ActualValue);
    }

    [Fact]
    public void DisposingTwiceIsSafeAndUseAfterDisposeThrows()
    {
        NativeBuffer<float> buffer = new(64);
        Assert.False(buffer.IsDisposed);

        buffer.Dispose();
        buffer.Dispose();

        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => (nuint)buffer.Pointer);
        Assert.Equal(64, buffer.Length);
    }

    [Fact]
    public void EmptyBufferHasAnEmptySpan()
    {
        using NativeBuffer<double> buffer = new(0);
        Assert.True(buffer.Span.IsEmpty);
    }
}
