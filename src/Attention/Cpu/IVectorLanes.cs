using System.Runtime.Intrinsics;

namespace NativeAttention;

/// <summary>
/// The few float-vector operations the micro-kernels need, implemented once per vector width so that
/// <see cref="SimdMicroKernels{TLanes, TVector}"/> is written once: .NET 10 keeps its own interface over vector widths
/// (ISimdVector) internal, and the JIT specializes and inlines these static members for each struct it is given.
/// </summary>
/// <typeparam name="TVector">The vector type.</typeparam>
internal unsafe interface IVectorLanes<TVector>
    where TVector : struct
{
    /// <summary>Gets the number of floats in one vector.</summary>
    static abstract int Count { get; }

    /// <summary>Gets the vector of zeros.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Loads a vector from <paramref name="source"/>, aligned or not.</summary>
    /// <param name="source">The first float.</param>
    /// <returns>The vector.</returns>
    static abstract TVector Load(float* source);

    /// <summary>Loads <see cref="Count"/> bfloat16 values, given as their bits, as floats.</summary>
    /// <param name="source">The first value's bits.</param>
    /// <returns>The values widened to floats, exactly: a bfloat16 is the upper half of a float.</returns>
    static abstract TVector LoadBFloat16(ushort* source);

    /// <summary>
    /// Loads 2·<see cref="Count"/> bfloat16 values as two float vectors: those at even positions and those at odd ones.
    /// Two bfloat16 values share each 32-bit word, so one load, a shift and a mask widen both, where two
    /// <see cref="LoadBFloat16"/> calls take a widening load and a shift each.
    /// </summary>
    /// <param name="source">The first value's bits.</param>
    /// <param name="even">Values 0, 2, 4, … widened to floats.</param>
    /// <param name="odd">Values 1, 3, 5, … widened to floats.</param>
    static abstract void LoadBFloat16Pairs(ushort* source, out TVector even, out TVector odd);

    /// <summary>Stores <paramref name="vector"/> to <paramref name="destination"/>, aligned or not.</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="destination">The first float.</param>
    static abstract void Store(TVector vector, float* destination);

    /// <summary>Returns a vector with <paramref name="value"/> in every lane.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The vector.</returns>
    static abstract TVector Broadcast(float value);

    /// <summary>Returns a · b + c, fused where the processor can.</summary>
    /// <param name="a">The first factor.</param>
    /// <param name="b">The second factor.</param>
    /// <param name="c">The addend.</param>
    /// <returns>The result.</returns>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>
    /// Returns 2^(<paramref name="vector"/> − <paramref name="offset"/>) in float arithmetic alone, for exponents up to 8
    /// (the online softmax subtracts a running max, which may lag the scores by that much): within 2 ulp at and above
    /// −126, exactly 0 below it, for −∞, and for −∞ − −∞ (a query whose every key so far is masked).
    /// The runtime's <c>Vector512.Exp</c>/<c>Vector256.Exp</c> widen to double, which cost more than the products.
    /// </summary>
    /// <param name="vector">The exponents before the shift, at most <paramref name="offset"/> + 8.</param>
    /// <param name="offset">The shift, in every lane.</param>
    /// <returns>The powers of two.</returns>
    static abstract TVector Exp2Shifted(TVector vector, TVector offset);

    /// <summary>Returns the larger of a and b lane by lane, as the hardware's max instruction does (no NaN ordering).</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector.</param>
    /// <returns>The lane-wise max.</returns>
    static abstract TVector Max(TVector a, TVector b);

    /// <summary>Returns the largest lane.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>The max.</returns>
    static abstract float MaxAcross(TVector vector);

    /// <summary>Returns a + b.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector.</param>
    /// <returns>The sum.</returns>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>Returns the sum of the lanes.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>The sum.</returns>
    static abstract float Sum(TVector vector);

    /// <summary>
    /// Returns the sums of the lanes of eight vectors, lane i the sum of <paramref name="s0"/>'s lanes and so on: one
    /// shuffle tree for all eight, where eight <see cref="Sum"/> calls would each take a tree of their own.
    /// </summary>
    /// <param name="s0">The first vector.</param>
    /// <param name="s1">The second vector.</param>
    /// <param name="s2">The third vector.</param>
    /// <param name="s3">The fourth vector.</param>
    /// <param name="s4">The fifth vector.</param>
    /// <param name="s5">The sixth vector.</param>
    /// <param name="s6">The seventh vector.</param>
    /// <param name="s7">The eighth vector.</param>
    /// <returns>The eight sums.</returns>
    static abstract Vector256<float> SumEach(TVector s0, TVector s1, TVector s2, TVector s3, TVector s4, TVector s5, TVector s6, TVector s7);
}
