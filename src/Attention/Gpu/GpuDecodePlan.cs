using System;

namespace NativeAttention;

/// <summary>
/// How the split-KV decode divides the keys: <c>keys_per_split</c> a multiple of the kernel's key tile and enough
/// splits that the grid holds about <see cref="BlocksPerMultiprocessor"/> blocks per SM (on the H200, 4 to 8 splits
/// for 256 batch × KV-head pairs ran best, which is this target).
/// </summary>
internal readonly record struct GpuDecodePlan(int NumSplits, int KeysPerSplit, int RowBlocks)
{
    /// <summary>The grid size the split count aims for, per multiprocessor.</summary>
    public const int BlocksPerMultiprocessor = 8;

    /// <summary>The most splits per row block.</summary>
    public const int MaxSplits = 128;

    /// <summary>Plans one decode call.</summary>
    /// <param name="shape">The call's sizes; seqKV at least 1.</param>
    /// <param name="rowsPerBlock">The query rows one block handles (<c>na_decode_config[0]</c>).</param>
    /// <param name="blockN">The key tile (<c>na_decode_config[1]</c>).</param>
    /// <param name="multiprocessors">The device's SM count.</param>
    /// <returns>The plan.</returns>
    public static GpuDecodePlan Create(GpuAttentionShape shape, int rowsPerBlock, int blockN, int multiprocessors)
    {
        int group = shape.Heads / shape.KvHeads;
        int rowBlocks = (int)(((long)group * shape.SeqQ + rowsPerBlock - 1) / rowsPerBlock);
        long pairs = (long)shape.Batch * shape.KvHeads * rowBlocks;
        long keyTiles = ((long)shape.SeqKV + blockN - 1) / blockN;
        long wanted = ((long)BlocksPerMultiprocessor * multiprocessors + pairs - 1) / pairs;
        int splits = (int)Math.Clamp(wanted, 1, Math.Min(keyTiles, MaxSplits));
        long tilesPerSplit = (keyTiles + splits - 1) / splits;
        int keysPerSplit = checked((int)(tilesPerSplit * blockN));
        int numSplits = (int)(((long)shape.SeqKV + keysPerSplit - 1) / keysPerSplit);
        return new GpuDecodePlan(numSplits, keysPerSplit, rowBlocks);
    }
}
