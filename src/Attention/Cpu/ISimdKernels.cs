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

    /// <summary>Adds Σ_j weights[j] · values[j] to one accumulator row.</summary>
    /// <param name="weights">The weight of each value row.</param>
    /// <param name="count">The number of value rows.</param>
    /// <param name="values">The first value row.</param>
    /// <param name="valueStride">The distance in floats between value rows.</param>
    /// <param name="dim">The number of features per row.</param>
    /// <param name="accumulator">The row to add to.</param>
    static abstract void AccumulateWeightedValues(float* weights, int count, float* values, nint valueStride, int dim, float* accumulator);
}
