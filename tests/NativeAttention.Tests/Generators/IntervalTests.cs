using System;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// Soundness of the interval operations that generated classifiers use: for random intervals and random points
/// inside them, the C# result always lies inside the interval result (operations that throw in C# are skipped).
/// </summary>
public sealed class IntervalTests
{
    private const int Trials = 20000;

    private static readonly (string Name, Func<int, int, int> Exact, Func<IntInterval, IntInterval, IntInterval> Lifted)[] IntBinary =
    [
        ("+", (a, b) => a + b, Interval.Add),
        ("-", (a, b) => a - b, Interval.Subtract),
        ("*", (a, b) => a * b, Interval.Multiply),
        ("/", (a, b) => a / b, Interval.Divide),
        ("%", (a, b) => a % b, Interval.Remainder),
        ("&", (a, b) => a & b, Interval.BitwiseAnd),
        ("|", (a, b) => a | b, Interval.BitwiseOr),
        ("^", (a, b) => a ^ b, Interval.ExclusiveOr),
        ("<<", (a, b) => a << b, Interval.LeftShift),
        (">>", (a, b) => a >> b, Interval.RightShift),
        (">>>", (a, b) => a >>> b, Interval.UnsignedRightShift),
        ("Min", Math.Min, Interval.Min),
        ("Max", Math.Max, Interval.Max),
    ];

    private static readonly (string Name, Func<int, int, bool> Exact, Func<IntInterval, IntInterval, BoolInterval> Lifted)[] IntComparisons =
    [
        ("<", (a, b) => a < b, Interval.LessThan),
        ("<=", (a, b) => a <= b, Interval.LessThanOrEqual),
        (">", (a, b) => a > b, Interval.GreaterThan),
        (">=", (a, b) => a >= b, Interval.GreaterThanOrEqual),
        ("==", (a, b) => a == b, Interval.Equal),
        ("!=", (a, b) => a != b, Interval.NotEqual),
    ];

    private static readonly (string Name, Func<float, float, float> Exact, Func<FloatInterval, FloatInterval, FloatInterval> Lifted)[] FloatBinary =
    [
        ("+", (a, b) => a + b, Interval.Add),
        ("-", (a, b) => a - b, Interval.Subtract),
        ("*", (a, b) => a * b, Interval.Multiply),
        ("/", (a, b) => a / b, Interval.Divide),
        ("%", (a, b) => a % b, Interval.Remainder),
        ("Min", MathF.Min, Interval.Min),
        ("Max", MathF.Max, Interval.Max),
        ("Pow", MathF.Pow, Interval.Pow),
    ];

    private static readonly (string Name, Func<float, float, bool> Exact, Func<FloatInterval, FloatInterval, BoolInterval> Lifted)[] FloatComparisons =
    [
        ("<", (a, b) => a < b, Interval.LessThan),
        ("<=", (a, b) => a <= b, Interval.LessThanOrEqual),
        (">", (a, b) => a > b, Interval.GreaterThan),
        (">=", (a, b) => a >= b, Interval.GreaterThanOrEqual),
        ("==", (a, b) => a == b, Interval.Equal),
        ("!=", (a, b) => a != b, Interval.NotEqual),
    ];

    private static readonly (string Name, Func<float, float> Exact, Func<FloatInterval, FloatInterval> Lifted)[] FloatUnary =
    [
        ("-", a => -a, Interval.Negate),
        ("Abs", MathF.Abs, Interval.Abs),
        ("Floor", MathF.Floor, Interval.Floor),
        ("Ceiling", MathF.Ceiling, Interval.Ceiling),
        ("Round", MathF.Round, Interval.Round),
        ("Sqrt", MathF.Sqrt, Interval.Sqrt),
        ("Exp", MathF.Exp, Interval.Exp),
        ("Log", MathF.Log, Interval.Log),
        ("Log2", MathF.Log2, Interval.Log2),
        ("Tanh", MathF.Tanh, Interval.Tanh),
    ];

    [Fact]
    public void IntOperationsAreSound()
    {
        var rng = new Random(1);
        for (int trial = 0; trial < Trials; trial++)
        {
            IntInterval a = RandomInt(rng), b = RandomInt(rng);
            int x = Inside(rng, a), y = Inside(rng, b);
            foreach (var (name, exact, lifted) in IntBinary)
            {
                if (Throws(() => exact(x, y)))
                {
                    continue;
                }

                IntInterval result = lifted(a, b);
                int value = exact(x, y);
                Assert.True(result.Min <= value && value <= result.Max, $"{a} {name} {b} = {result} misses {x} {name} {y} = {value}");
            }

            foreach (var (name, exact, lifted) in IntComparisons)
            {
                AssertContains(lifted(a, b), exact(x, y), $"{a} {name} {b} at {x}, {y}");
            }

            AssertContainsInt(Interval.Negate(a), unchecked(-x), $"-{a}");
            AssertContainsInt(Interval.OnesComplement(a), ~x, $"~{a}");
            AssertContainsInt(Interval.Sign(a), Math.Sign(x), $"Sign {a}");
            if (x != int.MinValue)
            {
                AssertContainsInt(Interval.Abs(a), Math.Abs(x), $"Abs {a}");
            }

            IntInterval c = RandomInt(rng);
            int z = Inside(rng, c);
            if (y <= z)
            {
                AssertContainsInt(Interval.Clamp(a, b, c), Math.Clamp(x, y, z), $"Clamp {a} {b} {c}");
            }

            FloatInterval asFloat = Interval.ToFloat(a);
            Assert.True(asFloat.Min <= x && x <= asFloat.Max, $"(float){a} = {asFloat} misses {x}");
        }
    }

    [Fact]
    public void FloatOperationsAreSound()
    {
        var rng = new Random(2);
        for (int trial = 0; trial < Trials; trial++)
        {
            FloatInterval a = RandomFloat(rng), b = RandomFloat(rng);
            float x = Inside(rng, a), y = Inside(rng, b);
            foreach (var (name, exact, lifted) in FloatBinary)
            {
                AssertContainsFloat(lifted(a, b), exact(x, y), $"{a} {name} {b} at {x}, {y}");
            }

            foreach (var (name, exact, lifted) in FloatComparisons)
            {
                AssertContains(lifted(a, b), exact(x, y), $"{a} {name} {b} at {x}, {y}");
            }

            foreach (var (name, exact, lifted) in FloatUnary)
            {
                AssertContainsFloat(lifted(a), exact(x), $"{name} {a} at {x}");
            }

            FloatInterval c = RandomFloat(rng);
            float z = Inside(rng, c);
            if (y <= z)
            {
                AssertContainsFloat(Interval.Clamp(a, b, c), Math.Clamp(x, y, z), $"Clamp {a} {b} {c} at {x}, {y}, {z}");
            }

            if (!float.IsNaN(x))
            {
                AssertContainsInt(Interval.Sign(a), MathF.Sign(x), $"Sign {a} at {x}");
            }

            AssertContainsInt(Interval.ToInt(a), (int)x, $"(int){a} at {x}");
        }
    }

    [Fact]
    public void BooleanOperationsAreSound()
    {
        BoolInterval[] all = [BoolInterval.True, BoolInterval.False, BoolInterval.Unknown];
        foreach (BoolInterval a in all)
        {
            foreach (BoolInterval b in all)
            {
                foreach (bool x in Members(a))
                {
                    foreach (bool y in Members(b))
                    {
                        AssertContains(Interval.And(a, b), x && y, "&&");
                        AssertContains(Interval.Or(a, b), x || y, "||");
                        AssertContains(Interval.ExclusiveOr(a, b), x ^ y, "^");
                        AssertContains(Interval.Equal(a, b), x == y, "==");
                        AssertContains(Interval.NotEqual(a, b), x != y, "!=");
                        AssertContains(Interval.Not(a), !x, "!");
                        AssertContains(Interval.Select(a, b, Interval.Not(b)), x ? y : !y, "?:");
                    }
                }
            }
        }
    }

    [Fact]
    public void PointsAreExactAndRangesAreTracked()
    {
        Assert.True(Interval.LessThanOrEqual(IntInterval.Range(0, 9), IntInterval.Range(9, 20)).IsTrue);
        Assert.True(Interval.LessThanOrEqual(IntInterval.Range(10, 19), IntInterval.Range(0, 9)).IsFalse);
        Assert.Equal((-19, 9), Bounds(Interval.Subtract(IntInterval.Range(0, 9), IntInterval.Range(0, 19))));
        Assert.Equal((2, 4), Bounds(Interval.Divide(IntInterval.Range(10, 24), IntInterval.Point(5))));
        Assert.Equal((1, 3), Bounds(Interval.Remainder(IntInterval.Range(11, 13), IntInterval.Point(5))));
        Assert.Equal(IntInterval.All.Max, Interval.Add(IntInterval.Point(int.MaxValue), IntInterval.Point(1)).Max);
        Assert.True(Interval.Equal(FloatInterval.Point(-0f), FloatInterval.Point(0f)).IsTrue);
        Assert.False(Interval.LessThan(FloatInterval.All, FloatInterval.Point(0f)).IsTrue);
        Assert.Equal(TileClass.Full, BoolInterval.True.ToTileClass());
        Assert.Equal(TileClass.Empty, BoolInterval.False.ToTileClass());
        Assert.Equal(TileClass.Partial, BoolInterval.Unknown.ToTileClass());
    }

    private static (int, int) Bounds(IntInterval interval) => (interval.Min, interval.Max);

    private static bool[] Members(BoolInterval value) => value.IsTrue ? [true] : value.IsFalse ? [false] : [true, false];

    private static bool Throws(Func<int> operation)
    {
        try
        {
            operation();
            return false;
        }
        catch (ArithmeticException)
        {
            return true;
        }
    }

    private static void AssertContains(BoolInterval interval, bool value, string what)
        => Assert.True(value ? interval.MayBeTrue : interval.MayBeFalse, $"{what}: {interval} misses {value}");

    private static void AssertContainsInt(IntInterval interval, int value, string what)
        => Assert.True(interval.Min <= value && value <= interval.Max, $"{what}: {interval} misses {value}");

    private static void AssertContainsFloat(FloatInterval interval, float value, string what)
        => Assert.True(float.IsNaN(value) ? interval.MayBeNaN : interval.Min <= value && value <= interval.Max, $"{what}: {interval} misses {value}");

    // Intervals around the interesting places: zero, small values, the int limits.
    private static IntInterval RandomInt(Random rng)
    {
        int center = rng.Next(4) switch
        {
            0 => rng.Next(-8, 9),
            1 => rng.Next(-1000, 1001),
            2 => rng.Next(2) == 0 ? int.MaxValue - rng.Next(50) : int.MinValue + rng.Next(50),
            _ => rng.Next(int.MinValue, int.MaxValue),
        };
        int width = rng.Next(3) == 0 ? 0 : rng.Next(0, rng.Next(2) == 0 ? 16 : 5000);
        long max = Math.Min((long)center + width, int.MaxValue);
        return IntInterval.Range(center, (int)max);
    }

    private static int Inside(Random rng, IntInterval interval) => (int)rng.NextInt64(interval.Min, (long)interval.Max + 1);

    private static FloatInterval RandomFloat(Random rng)
    {
        float[] specials = [0f, -0f, 1f, -1f, 0.5f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon, 1e-30f];
        float Pick() => rng.Next(3) == 0 ? specials[rng.Next(specials.Length)] * (rng.Next(2) == 0 ? 1 : -1) : (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-3, 6)));
        if (rng.Next(12) == 0)
        {
            return FloatInterval.All;
        }

        float p = Pick(), q = rng.Next(3) == 0 ? p : Pick();
        FloatInterval interval = FloatInterval.Range(MathF.Min(p, q), MathF.Max(p, q));
        return rng.Next(10) == 0 ? interval.WithNaN() : interval;
    }

    private static float Inside(Random rng, FloatInterval interval)
    {
        if (interval.MayBeNaN && rng.Next(6) == 0)
        {
            return float.NaN;
        }

        return rng.Next(4) switch
        {
            0 => interval.Min,
            1 => interval.Max,
            _ => Clamp((float)(interval.Min + (rng.NextDouble() * ((double)interval.Max - interval.Min))), interval),
        };
    }

    private static float Clamp(float value, FloatInterval interval)
        => float.IsNaN(value) ? interval.Min : Math.Clamp(value, interval.Min, interval.Max);
}
