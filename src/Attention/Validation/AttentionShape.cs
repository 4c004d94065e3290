namespace NativeAttention;

/// <summary>The sizes of one attention call, checked against every argument.</summary>
/// <param name="Batch">The batch size.</param>
/// <param name="Heads">The number of query heads.</param>
/// <param name="KvHeads">The number of key/value heads; divides <paramref name="Heads"/>.</param>
/// <param name="SeqQ">The number of queries.</param>
/// <param name="SeqKV">The number of keys.</param>
/// <param name="HeadDim">The query/key feature size.</param>
/// <param name="ValueDim">The value/output feature size.</param>
internal readonly record struct AttentionShape(
    int Batch,
    int Heads,
    int KvHeads,
    int SeqQ,
    int SeqKV,
    int HeadDim,
    int ValueDim)
{
    /// <summary>Gets how many query heads share one key/value head.</summary>
    public int QueryHeadsPerKvHead => KvHeads == 0 ? 0 : Heads / KvHeads;

    /// <summary>Gets what to add to a query index to get its absolute position (bottom-right alignment).</summary>
    public int QueryPositionOffset => SeqKV - SeqQ;

    /// <summary>Gets the number of query rows over all batches and heads.</summary>
    public long QueryRows => (long)Batch * Heads * SeqQ;

    /// <summary>Gets the key/value head that query head <paramref name="head"/> reads.</summary>
    /// <param name="head">The query head index.</param>
    /// <returns>The key/value head index.</returns>
    public int KvHeadOf(int head) => head / QueryHeadsPerKvHead;
}
