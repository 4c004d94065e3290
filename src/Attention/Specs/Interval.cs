using System;
using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// The interval operations that generated tile classifiers are written in: each one returns an interval that holds
/// every result the C# operation can give for operands inside its argument intervals.
/// </summary>
/// <remarks>
/// Addition, subtraction, multiplication, negation, comparisons, Min, Max, Abs, Clamp and monotone rounding functions
/// are tracked over ranges; division by a positive constant and remainder within one quotient step too. Every other
/// operation is exact only when its operands are single points (evaluated with the very C# operation the mask uses)
/// and unknown otherwise. An operation that would throw in C# gives an unknown result. Float intervals compare
/// values with <c>==</c>, so −0 and +0 are one value; the operations whose result tells them apart treat a zero
/// operand as unknown.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Interval
{
    /// <summary>Adds two int intervals with C# wrap-around semantics.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The sum's interval.</returns>
    public static IntInterval Add(IntInterval a, IntInterval b) => IntInterval.FromWide((long)a.Min + b.Min, (long)a.Max + b.Max);

    /// <summary>Subtracts two int intervals with C# wrap-around semantics.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The difference's interval.</returns>
    public static IntInterval Subtract(IntInterval a, IntInterval b) => IntInterval.FromWide((long)a.Min - b.Max, (long)a.Max - b.Min);

    /// <summary>Multiplies two int intervals with C# wrap-around semantics.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The product's interval.</returns>
    public static IntInterval Multiply(IntInterval a, IntInterval b)
    {
        long p1 = (long)a.Min * b.Min, p2 = (long)a.Min * b.Max, p3 = (long)a.Max * b.Min, p4 = (long)a.Max * b.Max;
        return IntInterval.FromWide(Math.Min(Math.Min(p1, p2), Math.Min(p3, p4)), Math.Max(Math.Max(p1, p2), Math.Max(p3, p4)));
    }

    /// <summary>Divides two int intervals (truncating, as C#).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The quotient's interval; unknown when the division may throw or the divisor is not a positive point.</returns>
    public static IntInterval Divide(IntInterval a, IntInterval b)
    {
        if (b.IsPoint && b.Min > 0)
        {
            // Truncating division by a positive constant is monotone non-decreasing.
            return IntInterval.Range(a.Min / b.Min, a.Max / b.Min);
        }

        return a.IsPoint && b.IsPoint && b.Min != 0 && !(a.Min == int.MinValue && b.Min == -1)
            ? IntInterval.Point(a.Min / b.Min)
            : IntInterval.All;
    }

    /// <summary>Takes the C# remainder of two int intervals.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The remainder's interval.</returns>
    public static IntInterval Remainder(IntInterval a, IntInterval b)
    {
        if (b.IsPoint && b.Min > 0 && a.Min >= 0 && a.Min / b.Min == a.Max / b.Min)
        {
            // Within one quotient step the remainder grows with the dividend.
            return IntInterval.Range(a.Min % b.Min, a.Max % b.Min);
        }

        return a.IsPoint && b.IsPoint && b.Min != 0 && !(a.Min == int.MinValue && b.Min == -1)
            ? IntInterval.Point(a.Min % b.Min)
            : IntInterval.All;
    }

    /// <summary>Negates an int interval with C# wrap-around semantics.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The negation's interval.</returns>
    public static IntInterval Negate(IntInterval a) => IntInterval.FromWide(-(long)a.Max, -(long)a.Min);

    /// <summary>Applies <c>&amp;</c> to two int intervals.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    public static IntInterval BitwiseAnd(IntInterval a, IntInterval b) => a.IsPoint && b.IsPoint ? IntInterval.Point(a.Min & b.Min) : IntInterval.All;

    /// <summary>Applies <c>|</c> to two int intervals.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    public static IntInterval BitwiseOr(IntInterval a, IntInterval b) => a.IsPoint && b.IsPoint ? IntInterval.Point(a.Min | b.Min) : IntInterval.All;

    /// <summary>Applies <c>^</c> to two int intervals.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    public static IntInterval ExclusiveOr(IntInterval a, IntInterval b) => a.IsPoint && b.IsPoint ? IntInterval.Point(a.Min ^ b.Min) : IntInterval.All;

    /// <summary>Applies <c>~</c> to an int interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The complement's interval (~x = -x - 1 is monotone decreasing).</returns>
    public static IntInterval OnesComplement(IntInterval a) => IntInterval.Range(~a.Max, ~a.Min);

    /// <summary>Applies <c>&lt;&lt;</c> to two int intervals.</summary>
    /// <param name="a">The value.</param>
    /// <param name="b">The shift count.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    public static IntInterval LeftShift(IntInterval a, IntInterval b) => a.IsPoint && b.IsPoint ? IntInterval.Point(a.Min << b.Min) : IntInterval.All;

    /// <summary>Applies <c>&gt;&gt;</c> to two int intervals.</summary>
    /// <param name="a">The value.</param>
    /// <param name="b">The shift count.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    public static IntInterval RightShift(IntInterval a, IntInterval b) => a.IsPoint && b.IsPoint ? IntInterval.Point(a.Min >> b.Min) : IntInterval.All;

    /// <summary>Applies <c>&gt;&gt;&gt;</c> to two int intervals.</summary>
    /// <param name="a">The value.</param>
    /// <param name="b">The shift count.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    public static IntInterval UnsignedRightShift(IntInterval a, IntInterval b) => a.IsPoint && b.IsPoint ? IntInterval.Point(a.Min >>> b.Min) : IntInterval.All;

    /// <summary>Math.Min over int intervals.</summary>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <returns>The minimum's interval.</returns>
    public static IntInterval Min(IntInterval a, IntInterval b) => IntInterval.Range(Math.Min(a.Min, b.Min), Math.Min(a.Max, b.Max));

    /// <summary>Math.Max over int intervals.</summary>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <returns>The maximum's interval.</returns>
    public static IntInterval Max(IntInterval a, IntInterval b) => IntInterval.Range(Math.Max(a.Min, b.Min), Math.Max(a.Max, b.Max));

    /// <summary>Math.Abs over an int interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The absolute value's interval.</returns>
    public static IntInterval Abs(IntInterval a)
    {
        if (a.Min >= 0)
        {
            return a;
        }

        return a.Max <= 0
            ? IntInterval.FromWide(-(long)a.Max, -(long)a.Min)
            : IntInterval.FromWide(0, Math.Max(-(long)a.Min, a.Max));
    }

    /// <summary>Math.Clamp over int intervals.</summary>
    /// <param name="value">The value.</param>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>The clamped value's interval (where Math.Clamp does not throw).</returns>
    public static IntInterval Clamp(IntInterval value, IntInterval min, IntInterval max) => Min(Max(value, min), max);

    /// <summary>Math.Sign over an int interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The sign's interval.</returns>
    public static IntInterval Sign(IntInterval a) => IntInterval.Range(Math.Sign(a.Min), Math.Sign(a.Max));

    /// <summary>Converts an int interval to float (round to nearest, monotone).</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The converted interval.</returns>
    public static FloatInterval ToFloat(IntInterval a) => FloatInterval.Range(a.Min, a.Max);

    /// <summary>Compares two int intervals with <c>&lt;</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval LessThan(IntInterval a, IntInterval b) => Make(a.Min < b.Max, a.Max >= b.Min);

    /// <summary>Compares two int intervals with <c>&lt;=</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval LessThanOrEqual(IntInterval a, IntInterval b) => Make(a.Min <= b.Max, a.Max > b.Min);

    /// <summary>Compares two int intervals with <c>&gt;</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval GreaterThan(IntInterval a, IntInterval b) => LessThan(b, a);

    /// <summary>Compares two int intervals with <c>&gt;=</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval GreaterThanOrEqual(IntInterval a, IntInterval b) => LessThanOrEqual(b, a);

    /// <summary>Compares two int intervals with <c>==</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval Equal(IntInterval a, IntInterval b)
        => Make(a.Min <= b.Max && b.Min <= a.Max, !(a.IsPoint && b.IsPoint && a.Min == b.Min));

    /// <summary>Compares two int intervals with <c>!=</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval NotEqual(IntInterval a, IntInterval b) => Not(Equal(a, b));

    /// <summary>Joins two int intervals: the result holds every value of either.</summary>
    /// <param name="a">The first interval.</param>
    /// <param name="b">The second interval.</param>
    /// <returns>The smallest interval holding both.</returns>
    public static IntInterval Join(IntInterval a, IntInterval b) => IntInterval.Range(Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max));

    /// <summary>The conditional operator over int intervals.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="whenTrue">The value when true.</param>
    /// <param name="whenFalse">The value when false.</param>
    /// <returns>The chosen interval, or the join of both when the condition is unknown.</returns>
    public static IntInterval Select(BoolInterval condition, IntInterval whenTrue, IntInterval whenFalse)
        => condition.IsTrue ? whenTrue : condition.IsFalse ? whenFalse : Join(whenTrue, whenFalse);

    /// <summary>Reads an int span capture at an index interval.</summary>
    /// <param name="span">The capture.</param>
    /// <param name="index">The index.</param>
    /// <returns>The element when the index is a single in-range point, otherwise unknown.</returns>
    public static IntInterval Read(ReadOnlySpan<int> span, IntInterval index)
        => index.IsPoint && (uint)index.Min < (uint)span.Length ? IntInterval.Point(span[index.Min]) : IntInterval.All;

    /// <summary>Adds two float intervals.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The sum's interval.</returns>
    public static FloatInterval Add(FloatInterval a, FloatInterval b)
    {
        bool infinitiesMeet = (a.Max == float.PositiveInfinity && b.Min == float.NegativeInfinity)
            || (a.Min == float.NegativeInfinity && b.Max == float.PositiveInfinity);
        return Make(a.Min + b.Min, a.Max + b.Max, a.MayBeNaN || b.MayBeNaN || infinitiesMeet);
    }

    /// <summary>Subtracts two float intervals.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The difference's interval.</returns>
    public static FloatInterval Subtract(FloatInterval a, FloatInterval b) => Add(a, Negate(b));

    /// <summary>Multiplies two float intervals.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The product's interval.</returns>
    public static FloatInterval Multiply(FloatInterval a, FloatInterval b)
    {
        float p1 = a.Min * b.Min, p2 = a.Min * b.Max, p3 = a.Max * b.Min, p4 = a.Max * b.Max;
        bool zeroTimesInfinity = (ContainsZero(a) && IsUnbounded(b)) || (ContainsZero(b) && IsUnbounded(a));
        return Make(
            MathF.Min(MathF.Min(p1, p2), MathF.Min(p3, p4)),
            MathF.Max(MathF.Max(p1, p2), MathF.Max(p3, p4)),
            a.MayBeNaN || b.MayBeNaN || zeroTimesInfinity);
    }

    /// <summary>Divides two float intervals.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    /// <remarks>Intervals do not tell −0 from +0, and x / ±0 = ±∞, so a zero divisor gives unknown.</remarks>
    public static FloatInterval Divide(FloatInterval a, FloatInterval b)
        => a.IsPoint && b.IsPoint && b.Min != 0 ? FloatInterval.Point(a.Min / b.Min) : FloatInterval.All;

    /// <summary>Takes the C# remainder of two float intervals.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    public static FloatInterval Remainder(FloatInterval a, FloatInterval b) => a.IsPoint && b.IsPoint ? FloatInterval.Point(a.Min % b.Min) : FloatInterval.All;

    /// <summary>Negates a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The negation's interval.</returns>
    public static FloatInterval Negate(FloatInterval a) => Make(-a.Max, -a.Min, a.MayBeNaN);

    /// <summary>MathF.Min over float intervals (NaN propagates, as in .NET).</summary>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <returns>The minimum's interval.</returns>
    public static FloatInterval Min(FloatInterval a, FloatInterval b) => Make(MathF.Min(a.Min, b.Min), MathF.Min(a.Max, b.Max), a.MayBeNaN || b.MayBeNaN);

    /// <summary>MathF.Max over float intervals (NaN propagates, as in .NET).</summary>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <returns>The maximum's interval.</returns>
    public static FloatInterval Max(FloatInterval a, FloatInterval b) => Make(MathF.Max(a.Min, b.Min), MathF.Max(a.Max, b.Max), a.MayBeNaN || b.MayBeNaN);

    /// <summary>MathF.Abs over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The absolute value's interval.</returns>
    public static FloatInterval Abs(FloatInterval a)
    {
        if (a.Min >= 0)
        {
            return a;
        }

        return a.Max <= 0
            ? Make(-a.Max, -a.Min, a.MayBeNaN)
            : Make(0, MathF.Max(-a.Min, a.Max), a.MayBeNaN);
    }

    /// <summary>Math.Clamp over float intervals.</summary>
    /// <param name="value">The value.</param>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>The clamped value's interval (where Math.Clamp does not throw).</returns>
    public static FloatInterval Clamp(FloatInterval value, FloatInterval min, FloatInterval max) => Min(Max(value, min), max);

    /// <summary>MathF.Sign over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The sign's interval (NaN throws in C#, so it adds nothing).</returns>
    public static IntInterval Sign(FloatInterval a) => a.Min > a.Max ? IntInterval.Range(-1, 1) : IntInterval.Range(Math.Sign(a.Min), Math.Sign(a.Max));

    /// <summary>MathF.Floor over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The interval (Floor is monotone).</returns>
    public static FloatInterval Floor(FloatInterval a) => Make(MathF.Floor(a.Min), MathF.Floor(a.Max), a.MayBeNaN);

    /// <summary>MathF.Ceiling over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The interval (Ceiling is monotone).</returns>
    public static FloatInterval Ceiling(FloatInterval a) => Make(MathF.Ceiling(a.Min), MathF.Ceiling(a.Max), a.MayBeNaN);

    /// <summary>MathF.Round (to even) over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The interval (Round is monotone).</returns>
    public static FloatInterval Round(FloatInterval a) => Make(MathF.Round(a.Min), MathF.Round(a.Max), a.MayBeNaN);

    /// <summary>MathF.Sqrt over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The interval (Sqrt is correctly rounded, hence monotone; negative operands give NaN).</returns>
    public static FloatInterval Sqrt(FloatInterval a) => a.Min < 0 ? FloatInterval.All : Make(MathF.Sqrt(a.Min), MathF.Sqrt(a.Max), a.MayBeNaN);

    /// <summary>MathF.Exp over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The exact result for a point, otherwise unknown.</returns>
    public static FloatInterval Exp(FloatInterval a) => a.IsPoint ? FloatInterval.Point(MathF.Exp(a.Min)) : FloatInterval.All;

    /// <summary>MathF.Log over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The exact result for a point, otherwise unknown.</returns>
    public static FloatInterval Log(FloatInterval a) => a.IsPoint ? FloatInterval.Point(MathF.Log(a.Min)) : FloatInterval.All;

    /// <summary>MathF.Log2 over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The exact result for a point, otherwise unknown.</returns>
    public static FloatInterval Log2(FloatInterval a) => a.IsPoint ? FloatInterval.Point(MathF.Log2(a.Min)) : FloatInterval.All;

    /// <summary>MathF.Tanh over a float interval.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The exact result for a point, otherwise unknown.</returns>
    public static FloatInterval Tanh(FloatInterval a) => a.IsPoint ? FloatInterval.Point(MathF.Tanh(a.Min)) : FloatInterval.All;

    /// <summary>MathF.Pow over float intervals.</summary>
    /// <param name="a">The base.</param>
    /// <param name="b">The exponent.</param>
    /// <returns>The exact result for points, otherwise unknown.</returns>
    /// <remarks>Intervals do not tell −0 from +0, and Pow(±0, y) differs in sign or infinity, so a zero base gives unknown.</remarks>
    public static FloatInterval Pow(FloatInterval a, FloatInterval b)
        => a.IsPoint && b.IsPoint && a.Min != 0 ? FloatInterval.Point(MathF.Pow(a.Min, b.Min)) : FloatInterval.All;

    /// <summary>Converts a float interval to int as a C# cast does (truncating, saturating, NaN to 0).</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The converted interval.</returns>
    public static IntInterval ToInt(FloatInterval a)
    {
        IntInterval bounds = a.Min > a.Max ? IntInterval.Point(0) : IntInterval.Range((int)a.Min, (int)a.Max);
        return a.MayBeNaN ? Join(bounds, IntInterval.Point(0)) : bounds;
    }

    /// <summary>Compares two float intervals with <c>&lt;</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval LessThan(FloatInterval a, FloatInterval b) => Make(a.Min < b.Max, a.MayBeNaN || b.MayBeNaN || a.Max >= b.Min);

    /// <summary>Compares two float intervals with <c>&lt;=</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval LessThanOrEqual(FloatInterval a, FloatInterval b) => Make(a.Min <= b.Max, a.MayBeNaN || b.MayBeNaN || a.Max > b.Min);

    /// <summary>Compares two float intervals with <c>&gt;</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval GreaterThan(FloatInterval a, FloatInterval b) => LessThan(b, a);

    /// <summary>Compares two float intervals with <c>&gt;=</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval GreaterThanOrEqual(FloatInterval a, FloatInterval b) => LessThanOrEqual(b, a);

    /// <summary>Compares two float intervals with <c>==</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval Equal(FloatInterval a, FloatInterval b)
        => Make(a.Min <= b.Max && b.Min <= a.Max, a.MayBeNaN || b.MayBeNaN || !(a.IsPoint && b.IsPoint && a.Min == b.Min));

    /// <summary>Compares two float intervals with <c>!=</c>.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The comparison's three-valued result.</returns>
    public static BoolInterval NotEqual(FloatInterval a, FloatInterval b) => Not(Equal(a, b));

    /// <summary>Joins two float intervals: the result holds every value of either.</summary>
    /// <param name="a">The first interval.</param>
    /// <param name="b">The second interval.</param>
    /// <returns>The smallest interval holding both.</returns>
    public static FloatInterval Join(FloatInterval a, FloatInterval b) => Make(MathF.Min(a.Min, b.Min), MathF.Max(a.Max, b.Max), a.MayBeNaN || b.MayBeNaN);

    /// <summary>The conditional operator over float intervals.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="whenTrue">The value when true.</param>
    /// <param name="whenFalse">The value when false.</param>
    /// <returns>The chosen interval, or the join of both when the condition is unknown.</returns>
    public static FloatInterval Select(BoolInterval condition, FloatInterval whenTrue, FloatInterval whenFalse)
        => condition.IsTrue ? whenTrue : condition.IsFalse ? whenFalse : Join(whenTrue, whenFalse);

    /// <summary>Reads a float span capture at an index interval.</summary>
    /// <param name="span">The capture.</param>
    /// <param name="index">The index.</param>
    /// <returns>The element when the index is a single in-range point, otherwise unknown.</returns>
    public static FloatInterval Read(ReadOnlySpan<float> span, IntInterval index)
        => index.IsPoint && (uint)index.Min < (uint)span.Length ? FloatInterval.Point(span[index.Min]) : FloatInterval.All;

    /// <summary>Logical not.</summary>
    /// <param name="a">The operand.</param>
    /// <returns>The negation.</returns>
    public static BoolInterval Not(BoolInterval a) => Make(a.MayBeFalse, a.MayBeTrue);

    /// <summary>Logical and (<c>&amp;&amp;</c> or <c>&amp;</c>; operands have no side effects).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The conjunction.</returns>
    public static BoolInterval And(BoolInterval a, BoolInterval b) => Make(a.MayBeTrue && b.MayBeTrue, a.MayBeFalse || b.MayBeFalse);

    /// <summary>Logical or (<c>||</c> or <c>|</c>; operands have no side effects).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The disjunction.</returns>
    public static BoolInterval Or(BoolInterval a, BoolInterval b) => Make(a.MayBeTrue || b.MayBeTrue, a.MayBeFalse && b.MayBeFalse);

    /// <summary>Logical exclusive or (<c>^</c>, also <c>!=</c> on booleans).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The exact result when both are known, otherwise unknown.</returns>
    public static BoolInterval ExclusiveOr(BoolInterval a, BoolInterval b)
        => a.IsTrue || a.IsFalse ? (b.IsTrue || b.IsFalse ? BoolInterval.Point(a.IsTrue ^ b.IsTrue) : BoolInterval.Unknown) : BoolInterval.Unknown;

    /// <summary>Boolean equality (<c>==</c> on booleans).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The exact result when both are known, otherwise unknown.</returns>
    public static BoolInterval Equal(BoolInterval a, BoolInterval b) => Not(ExclusiveOr(a, b));

    /// <summary>Boolean inequality (<c>!=</c> on booleans).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The exact result when both are known, otherwise unknown.</returns>
    public static BoolInterval NotEqual(BoolInterval a, BoolInterval b) => ExclusiveOr(a, b);

    /// <summary>Joins two booleans: the result may be whatever either may be.</summary>
    /// <param name="a">The first value.</param>
    /// <param name="b">The second value.</param>
    /// <returns>The join.</returns>
    public static BoolInterval Join(BoolInterval a, BoolInterval b) => Make(a.MayBeTrue || b.MayBeTrue, a.MayBeFalse || b.MayBeFalse);

    /// <summary>The conditional operator over booleans.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="whenTrue">The value when true.</param>
    /// <param name="whenFalse">The value when false.</param>
    /// <returns>The chosen value, or the join of both when the condition is unknown.</returns>
    public static BoolInterval Select(BoolInterval condition, BoolInterval whenTrue, BoolInterval whenFalse)
        => condition.IsTrue ? whenTrue : condition.IsFalse ? whenFalse : Join(whenTrue, whenFalse);

    private static BoolInterval Make(bool mayBeTrue, bool mayBeFalse)
        => mayBeTrue ? (mayBeFalse ? BoolInterval.Unknown : BoolInterval.True) : BoolInterval.False;

    private static FloatInterval Make(float min, float max, bool mayBeNaN)
    {
        FloatInterval bounds = FloatInterval.Range(min, max);
        return mayBeNaN ? bounds.WithNaN() : bounds;
    }

    private static bool ContainsZero(FloatInterval a) => a.Min <= 0 && a.Max >= 0;

    private static bool IsUnbounded(FloatInterval a) => float.IsInfinity(a.Min) || float.IsInfinity(a.Max);
}
