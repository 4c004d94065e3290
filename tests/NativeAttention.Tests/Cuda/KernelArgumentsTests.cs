using System;
using System.Runtime.CompilerServices;
using Xunit;

namespace NativeAttention.Tests.CudaRuntime;

public sealed class KernelArgumentsTests
{
    private struct Pair
    {
        public int First;
        public double Second;
    }

    [Fact]
    public unsafe void EachAddressPointsAtItsValueWithNaturalAlignment()
    {
        var args = new KernelArguments();
        args.Add((byte)7);
        args.Add(0x1122334455667788UL);
        args.Add(2.5f);
        args.Add(new Pair { First = -3, Second = 0.125 });
        args.Add((short)-9);

        void** pointers = stackalloc void*[args.Count];
        args.WriteAddresses(pointers);

        Assert.Equal(5, args.Count);
        Assert.Equal((byte)7, *(byte*)pointers[0]);
        Assert.Equal(0x1122334455667788UL, *(ulong*)pointers[1]);
        Assert.Equal(2.5f, *(float*)pointers[2]);
        Assert.Equal(-3, ((Pair*)pointers[3])->First);
        Assert.Equal(0.125, ((Pair*)pointers[3])->Second);
        Assert.Equal((short)-9, *(short*)pointers[4]);
        Assert.Equal(0, (long)pointers[1] % 8);
        Assert.Equal(0, (long)pointers[2] % 4);
        Assert.Equal(0, (long)pointers[3] % 8);
        Assert.Equal(8, (byte*)pointers[1] - (byte*)pointers[0]);
    }

    [Fact]
    public unsafe void BytesAreCopiedAtTheirAlignment()
    {
        var args = new KernelArguments();
        args.Add((byte)1);
        args.AddBytes([10, 20, 30, 40, 50], 8);
        args.AddBytes([60], 1);

        void** pointers = stackalloc void*[args.Count];
        args.WriteAddresses(pointers);

        Assert.Equal(3, args.Count);
        Assert.Equal(8, (byte*)pointers[1] - (byte*)pointers[0]);
        Assert.Equal([10, 20, 30, 40, 50], new ReadOnlySpan<byte>(pointers[1], 5).ToArray());
        Assert.Equal(5, (byte*)pointers[2] - (byte*)pointers[1]);
        Assert.Equal((byte)60, *(byte*)pointers[2]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(16)]
    public void BytesWithAnUnsupportedAlignmentAreRejected(int alignment)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var args = new KernelArguments();
            args.AddBytes([1, 2], alignment);
        });

        Assert.Equal("alignment", error.ParamName);
    }

    [Fact]
    public void TooManyArgumentsAreRejectedWithTheLimit()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() =>
        {
            var args = new KernelArguments();
            for (int i = 0; i <= KernelArguments.MaxArguments; i++)
            {
                args.Add(i);
            }
        });

        Assert.Contains($"at most {KernelArguments.MaxArguments} kernel arguments", error.Message, StringComparison.Ordinal);
        Assert.Contains($"number {KernelArguments.MaxArguments + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyBytesAreRejected()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() =>
        {
            var args = new KernelArguments();
            for (int i = 0; i < 3; i++)
            {
                args.Add(new InlineBytes200());
            }
        });

        Assert.Contains("would need 600 bytes", error.Message, StringComparison.Ordinal);
    }

    [InlineArray(200)]
    private struct InlineBytes200
    {
        private byte _element0;
    }
}
