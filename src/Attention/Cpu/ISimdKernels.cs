namespace NativeAttention;

/// <summary>
/// The micro-kernels of the CPU forward pass for one vector width, so that the kernel is specialized for the widest
/// width the processor accelerates. Both widths share one implementation, <see cref="SimdMicroKernels{TLanes, TVector}"/>.
/// </summary>
internal unsafe interface ISimdKernels
{
    /// <summary>Gets the floats in one vector of this width.</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Computes c[r, n] = Σ_k a[r, k] · b[k, n] (or adds it to c when <paramref name="accumulate"/>) for a [rows × depth]
    /// (row- or column-major), row-major b [depth × columns] and c [rows × columns]. By rows: q·kᵀ with b the transposed
    /// key tile, and p·v with b the value tile. By columns: k·qᵀ with a the key tile, and vᵀ·pᵀ with a the value tile read
    /// column-major, both in place. For bf16 b, c's rows are in the order <see cref="PairBFloat16Features"/> writes,
    /// because a bf16 row of b is read two values per 32-bit word.
    /// </summary>
    /// <param name="a">The first row of a.</param>
    /// <param name="aStride">The distance in floats between rows of a.</param>
    /// <param name="aDepthStride">The distance in floats between columns of a: 1 for a row-major a, the row stride of a tile read transposed in place.</param>
    /// <param name="rows">The number of rows of a and c.</param>
    /// <param name="depth">The number of columns of a and rows of b.</param>
    /// <param name="b">The first row of b.</param>
    /// <param name="bStride">The distance in elements between rows of b.</param>
    /// <param name="columns">The number of columns of b and c.</param>
    /// <param name="c">The first row of c.</param>
    /// <param name="cStride">The distance in floats between rows of c.</param>
    /// <param name="accumulate">Whether to add to c rather than overwrite it.</param>
    /// <typeparam name="TB">The elements of b: <see cref="float"/>, or <see cref="BFloat16"/> widened as they load.</typeparam>
    static abstract void MultiplyAdd<TB>(float* a, nint aStride, nint aDepthStride, int rows, int depth, TB* b, nint bStride, int columns, float* c, nint cStride, bool accumulate)
        where TB : unmanaged;

    /// <summary>
    /// Computes c[r, j] = a[r] · b[j] in dot-product form, for a query tile of few rows (decoding): b, the key tile, is
    /// read once in place where <see cref="MultiplyAdd"/> would need it transposed first, and eight products share one
    /// reduction across lanes (<see cref="IVectorLanes{TVector}.SumEach"/>). Meanwhile the next key tile's rows are
    /// prefetched: keys and values, or keys alone when <paramref name="next"/> is <see cref="NextKeyTile.KeysOnly"/>
    /// (<see cref="AccumulateValues"/> then asks for the values). For bf16 b, the rows of a are in the order
    /// <see cref="PairBFloat16Features"/> writes.
    /// </summary>
    /// <param name="a">The first row of a.</param>
    /// <param name="aStride">The distance in floats between rows of a.</param>
    /// <param name="rows">The number of rows of a.</param>
    /// <param name="b">The first row of b.</param>
    /// <param name="bStride">The distance in elements between rows of b.</param>
    /// <param name="count">The number of rows of b.</param>
    /// <param name="depth">The features per row.</param>
    /// <param name="c">The first row of c.</param>
    /// <param name="cStride">The distance in floats between rows of c.</param>
    /// <param name="next">The key tile read after this one, or <see cref="NextKeyTile.None"/>.</param>
    /// <typeparam name="TB">The elements of b: <see cref="float"/>, or <see cref="BFloat16"/> widened as they load.</typeparam>
    static abstract void RowDotProducts<TB>(float* a, nint aStride, int rows, TB* b, nint bStride, int count, int depth, float* c, nint cStride, in NextKeyTile next)
        where TB : unmanaged;

    /// <summary>
    /// Computes sᵀ[j] = Σ_d k[j, d] · qᵀ[d] for <paramref name="count"/> keys against one or two vectors of queries, whose
    /// transposed form holds <paramref name="lanes"/> queries per feature: two keys at a time, each key's sums split into
    /// partial sums over the features. Eight keys read side by side are eight short streams in one page, which the
    /// hardware prefetchers do not follow; two are. Meanwhile the next key tile's rows are prefetched, two per pair of
    /// keys, a line at a time (<see cref="NextTileLines"/>): for one vector of queries the key rows only, one line per line
    /// of keys read, as <see cref="AccumulateValues"/> asks for the value rows; for two vectors both, one line of each per
    /// line of keys read.
    /// </summary>
    /// <param name="keys">The first key row.</param>
    /// <param name="keyStride">The distance in floats between key rows.</param>
    /// <param name="count">The number of keys.</param>
    /// <param name="depth">The features per key.</param>
    /// <param name="queriesTransposed">The queries' lanes for each feature in turn.</param>
    /// <param name="lanes">The queries: one or two vectors' worth.</param>
    /// <param name="scores">Receives <paramref name="lanes"/> scores per key.</param>
    /// <param name="next">The key tile read after this one, or <see cref="NextKeyTile.None"/>.</param>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="lanes"/> is not one or two vectors' worth.</exception>
    static abstract void KeyPairScores(float* keys, nint keyStride, int count, int depth, float* queriesTransposed, int lanes, float* scores, in NextKeyTile next);

    /// <summary>
    /// Adds o[r, e] += Σ_j p[r, j] · v[j, e] for a decoding item's few rows, with the probabilities at any strides (the
    /// column path's transposed scores, one key per row, or the row path's scores) and the value tile read in place.
    /// Meanwhile the next key tile's value rows are prefetched a line at a time, spread evenly over the product's steps,
    /// so that with the score product asking only for its keys the requests for the next tile go out evenly over both
    /// products.
    /// </summary>
    /// <param name="probabilities">The first row's probability for the first key.</param>
    /// <param name="rowStride">The distance in floats between rows' probabilities.</param>
    /// <param name="keyStride">The distance in floats between keys' probabilities.</param>
    /// <param name="rows">The query rows.</param>
    /// <param name="keys">The keys.</param>
    /// <param name="values">The first value row.</param>
    /// <param name="valueStride">The distance in floats between value rows.</param>
    /// <param name="valueDim">The features per value row.</param>
    /// <param name="output">The first output row, <paramref name="valueDim"/> floats per row.</param>
    /// <param name="next">The key tile read after this one, or <see cref="NextKeyTile.None"/>.</param>
    static abstract void AccumulateValues(float* probabilities, nint rowStride, nint keyStride, int rows, int keys, float* values, nint valueStride, int valueDim, float* output, in NextKeyTile next);

    /// <summary>
    /// Reorders each row's whole blocks of 2·width features, in place, as the block's even features and then its odd
    /// ones: the order in which <see cref="RowDotProducts"/> reads bf16 rows of b, two values per 32-bit word
    /// (<see cref="IVectorLanes{TVector}.LoadBFloat16Pairs"/>). Features past the last whole block keep their places.
    /// </summary>
    /// <param name="rows">The first row.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="count">The number of rows.</param>
    /// <param name="depth">The features per row.</param>
    static abstract void PairBFloat16Features(float* rows, nint stride, int count, int depth);

    /// <summary>Undoes <see cref="PairBFloat16Features"/>: puts each row's paired blocks back in feature order.</summary>
    /// <param name="rows">The first row.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="count">The number of rows.</param>
    /// <param name="depth">The features per row.</param>
    static abstract void UnpairBFloat16Features(float* rows, nint stride, int count, int depth);

    /// <summary>Returns the largest of <paramref name="count"/> values (at least one), in registers without a call per row.</summary>
    /// <param name="values">The first value.</param>
    /// <param name="count">The number of values.</param>
    /// <returns>The max.</returns>
    static abstract float RowMax(float* values, int count);

    /// <summary>Replaces each value v by 2^(v − offset) and returns their sum: one pass of the online softmax, in base 2.</summary>
    /// <param name="values">The first value; 2^(−∞) gives 0.</param>
    /// <param name="count">The number of values.</param>
    /// <param name="offset">The running max subtracted before exponentiation.</param>
    /// <returns>The sum of the powers of two.</returns>
    static abstract float Exponentiate2AndSum(float* values, int count, float offset);

    /// <summary>
    /// Writes the largest value of each column of a [rows × columns] block: the running-max step of the softmax over
    /// transposed scores, one query per column, where a max is a vertical max and needs no reduction across lanes.
    /// </summary>
    /// <param name="values">The first row.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="rows">The number of rows, at least one.</param>
    /// <param name="columns">The number of columns, a multiple of <see cref="TransposedKeyTile.ColumnMultiple"/>.</param>
    /// <param name="max">The <paramref name="columns"/> maxima.</param>
    static abstract void ColumnMax(float* values, nint stride, int rows, int columns, float* max);

    /// <summary>
    /// Replaces each value v of column n by 2^(v − offsets[n]) and adds the column's powers to sums[n]: the exponential
    /// step of the softmax over transposed scores.
    /// </summary>
    /// <param name="values">The first row; 2^(−∞) gives 0.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns, a multiple of <see cref="TransposedKeyTile.ColumnMultiple"/>.</param>
    /// <param name="offsets">Each column's running max; −∞ (every key so far masked) leaves the column's −∞ values 0.</param>
    /// <param name="sums">Each column's running sum, added to.</param>
    static abstract void Exponentiate2ColumnsAndSum(float* values, nint stride, int rows, int columns, float* offsets, float* sums);
}
