using System.Runtime.InteropServices;

namespace NativeAttention;

/// <summary>Host mirror of <c>na_forward_params</c> up to (not including) <c>na_captures</c>; field order and C alignment as in na_params.cuh.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpuForwardParams
{
    public ulong Query;
    public ulong Key;
    public ulong Value;
    public ulong Output;
    public long QueryBatchStride;
    public long QueryHeadStride;
    public long QuerySeqStride;
    public long KeyBatchStride;
    public long KeyHeadStride;
    public long KeySeqStride;
    public long ValueBatchStride;
    public long ValueHeadStride;
    public long ValueSeqStride;
    public long OutputBatchStride;
    public long OutputHeadStride;
    public long OutputSeqStride;
    public ulong LogSumExp;
    public ulong TileMap;
    public long TileMapBatchStride;
    public long TileMapHeadStride;
    public long TileMapQStride;
    public int Batch;
    public int Heads;
    public int KvHeads;
    public int SeqQ;
    public int SeqKV;
    public float Scale;
    public float ScaleLog2;

    /// <summary>The byte offset just past <see cref="ScaleLog2"/>, where <c>na_captures</c> starts after alignment.</summary>
    public static readonly int FieldsEnd = EndOfFields();

    // Pointer arithmetic rather than Marshal.OffsetOf<T>: a framework generic over this struct is compiled by the JIT
    // on a process's first GPU call, and OffsetOf reflects.
    private static unsafe int EndOfFields()
    {
        GpuForwardParams fields = default;
        return (int)((byte*)&fields.ScaleLog2 - (byte*)&fields) + sizeof(float);
    }
}

/// <summary>Host mirror of <c>na_decode_params</c> up to (not including) <c>na_captures</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpuDecodeParams
{
    public ulong Query;
    public ulong Key;
    public ulong Value;
    public long QueryBatchStride;
    public long QueryHeadStride;
    public long QuerySeqStride;
    public long KeyBatchStride;
    public long KeyHeadStride;
    public long KeySeqStride;
    public long ValueBatchStride;
    public long ValueHeadStride;
    public long ValueSeqStride;
    public ulong OutputPartial;
    public ulong LogSumExpPartial;
    public int Batch;
    public int Heads;
    public int KvHeads;
    public int SeqQ;
    public int SeqKV;
    public int NumSplits;
    public int KeysPerSplit;
    public float Scale;
    public float ScaleLog2;

    /// <summary>The byte offset just past <see cref="ScaleLog2"/>, where <c>na_captures</c> starts after alignment.</summary>
    public static readonly int FieldsEnd = EndOfFields();

    private static unsafe int EndOfFields()
    {
        GpuDecodeParams fields = default;
        return (int)((byte*)&fields.ScaleLog2 - (byte*)&fields) + sizeof(float);
    }
}

/// <summary>Host mirror of <c>na_combine_params</c> (no captures).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpuCombineParams
{
    public ulong OutputPartial;
    public ulong LogSumExpPartial;
    public ulong Output;
    public long OutputBatchStride;
    public long OutputHeadStride;
    public long OutputSeqStride;
    public ulong LogSumExp;
    public int Batch;
    public int Heads;
    public int SeqQ;
    public int NumPartials;
}

/// <summary>Host mirror of <c>na_classify_params</c> up to (not including) <c>na_captures</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GpuClassifyParams
{
    public ulong TileMap;
    public long TileMapBatchStride;
    public long TileMapHeadStride;
    public long TileMapQStride;
    public int MapBatch;
    public int MapHeads;
    public int SeqQ;
    public int SeqKV;
    public int TileQ;
    public int TileKV;

    /// <summary>The byte offset just past <see cref="TileKV"/>, where <c>na_captures</c> starts after alignment.</summary>
    public static readonly int FieldsEnd = EndOfFields();

    private static unsafe int EndOfFields()
    {
        GpuClassifyParams fields = default;
        return (int)((byte*)&fields.TileKV - (byte*)&fields) + sizeof(int);
    }
}
