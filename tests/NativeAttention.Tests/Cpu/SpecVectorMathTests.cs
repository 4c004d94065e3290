using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>The lane division behind vectorized int / and % in spec mods equals C#'s int division, on every path.</summary>
public sealed class SpecVectorMathTests
{
    private static readonly int[] Divisors = [1, 2, 3, 7, 32, -2, -3, -32, 1000003, -1000003, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1];

    [Fact]
    public void EveryPathDividesAsCSharpDoes()
    {
        var rng = new Random(7);
        int[] dividends = new int[Vector512<int>.Count];
        for (int round = 0; round < 2000; round++)
        {
            for (int i = 0; i < dividends.Length; i++)
            {
                dividends[i] = round < 4
                    ? new[] { int.MinValue, int.MaxValue, 0, -1, 1, int.MinValue + 1, int.MaxValue - 1, 31, -31, 32, -32, 33, 65, -65, 1 << 30, -(1 << 30) }[i]
                    : rng.Next(int.MinValue, int.MaxValue);
            }

            foreach (int divisor in Divisors)
            {
                var lanes512 = Vector512.Create(dividends);
                var lanes256 = lanes512.GetLower();
                Vector256<int> fast = SpecVectorMath.Divide(lanes256, divisor);
                Vector256<int> portable = SpecVectorMath.DividePortable(lanes256, divisor);
                Vector512<int> wide = SpecVectorMath.Divide(lanes512, divisor);
                for (int i = 0; i < dividends.Length; i++)
                {
                    int expected = dividends[i] / divisor;
                    Assert.Equal(expected, wide[i]);
                    if (i < Vector256<int>.Count)
                    {
                        Assert.Equal(expected, fast[i]);
                        Assert.Equal(expected, portable[i]);
                    }
                }
            }
        }
    }
}
