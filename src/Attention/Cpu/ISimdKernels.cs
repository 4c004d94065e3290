namespace NativeAttention;

/// <summary>
/// The two matrix micro-kernels of the CPU forward pass, implemented once per vector width so that the kernel is
/// specialized for the widest width the processor accelerates.
/// </summary>
internal unsafe interface ISimdKernels
{
    /// <summary>Computes scores[i, j] = queries[i] · keys[j] for a tile.</summary>
    /// <param name="queries">The first query row.</param>
    /// <param name="queryStride">The distance in floats between query rows.</param>
    /// <param name="queryCount">The number of query rows.</param>
    /// <param name="keys">The first key row.</param>
    /// <param name="keyStride">The distance in floats between key rows.</param>
    /// <param name="keyCount">The number of key rows.</param>
    /// <param name="dim">The number of features per row.</param>
    /// <param name="scores">The first score row to write.</param>
    /// <param name="scoreStride">The distance in floats between score rows.</param>
    static abstract void QueryKeyScores(
        float* queries,
        nint queryStride,
        int queryCount,
        float* keys,
        nint keyStride,
        int keyCount,
        int dim,
        float* scores,
        nint scoreStride);

    /// <summary>Replaces each value v by exp(v − offset) and returns their sum: one pass of the online softmax.</summary>
    /// <param name="values">The first value; exp(−∞) gives 0.</param>
    /// <param name="count">The number of values.</param>
    /// <param name="offset">The running max subtracted before exponentiation.</param>
    /// <returns>The sum of the exponentials.</returns>
    static abstract float ExponentiateAndSum(float* values, int count, float offset);

    /// <summary>Adds Σ_j weights[r, j] · values[j] to accumulator row r, for each of <paramref name="rows"/> rows.</summary>
    /// <param name="weights">The first row of weights, one per value row.</param>
    /// <param name="weightStride">The distance in floats between weight rows.</param>
    /// <param name="rows">The number of weight and accumulator rows.</param>
    /// <param name="count">The number of value rows.</param>
    /// <param name="values">The first value row.</param>
    /// <param name="valueStride">The distance in floats between value rows.</param>
    /// <param name="dim">The number of features per row.</param>
    /// <param name="accumulators">The first accumulator row.</param>
    /// <param name="accumulatorStride">The distance in floats between accumulator rows.</param>
    static abstract void AccumulateWeightedValues(
        float* weights,
        nint weightStride,
        int rows,
        int count,
        float* values,
        nint valueStride,
        int dim,
        float* accumulators,
        nint accumulatorStride);
}
