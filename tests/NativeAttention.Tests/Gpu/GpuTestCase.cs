namespace NativeAttention.Tests.Gpu;

/// <summary>One GPU attention shape under test.</summary>
internal sealed record GpuTestCase(
    string Name, int Batch, int Heads, int KvHeads, int SeqQ, int SeqKV, int HeadDim, int ValueDim, bool BFloat16, bool WithLogSumExp = true, bool Bshd = false)
{
    public bool IsDecode => SeqQ <= GpuAttention.DecodeMaxQueries && SeqKV > 0;

    public long QueryRows => (long)Batch * Heads * SeqQ;

    /// <summary>
    /// The shapes every built-in variant runs: odd lengths (1, 17, 129, 1000), head dims 64/128/256 in both dtypes,
    /// GQA and MQA, seqQ below and above seqKV, value dim differing from head dim, padded dims, a BSHD layout, the
    /// decode path (seqQ ≤ 16) and calls with and without a log-sum-exp output.
    /// </summary>
    public static GpuTestCase[] All { get; } =
    [
        new("gqa-keys1-bf16-64", 1, 2, 1, 17, 1, 64, 64, true),
        new("gqa-17-fp16-128-nolse", 2, 4, 2, 17, 17, 128, 128, false, WithLogSumExp: false),
        new("129-bf16-256", 1, 2, 2, 129, 129, 256, 256, true),
        new("129-fp16-256", 1, 2, 2, 129, 129, 256, 256, false),
        new("mqa-1000-fp16-64", 1, 4, 1, 1000, 1000, 64, 64, false),
        new("q129-kv1000-bf16-128x64", 1, 2, 1, 129, 1000, 128, 64, true),
        new("q1000-kv129-fp16-64x128", 1, 2, 2, 1000, 129, 64, 128, false),
        new("padded-80x48-bf16", 2, 4, 2, 33, 129, 80, 48, true),
        new("padded-36x20-fp16", 1, 2, 1, 17, 65, 36, 20, false),
        new("bshd-129-fp16-64", 2, 4, 2, 129, 129, 64, 64, false, Bshd: true),
        new("decode-q1-kv1000-bf16-128", 2, 8, 2, 1, 1000, 128, 128, true),
        new("decode-q16-kv5000-fp16-256", 1, 4, 4, 16, 5000, 256, 256, false),
        new("decode-q4-kv17-fp16-64-nolse", 1, 2, 1, 4, 17, 64, 64, false, WithLogSumExp: false),
        new("decode-q1-kv1-bf16-64", 1, 1, 1, 1, 1, 64, 64, true),
    ];
}
