namespace NativeAttention;

/// <summary>The sizes of one GPU attention call.</summary>
internal readonly record struct GpuAttentionShape(int Batch, int Heads, int KvHeads, int SeqQ, int SeqKV, int HeadDim, int ValueDim)
{
    /// <summary>Gets batch·heads·seqQ, the number of output rows (and log-sum-exp values).</summary>
    public long QueryRows => (long)Batch * Heads * SeqQ;
}
