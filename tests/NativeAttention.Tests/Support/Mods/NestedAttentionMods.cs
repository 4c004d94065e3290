using System.Numerics.Tensors;

namespace NativeAttention.Tests.Support;

/// <summary>A small attention problem that a mod runs from inside another attention call.</summary>
public sealed class InnerAttention
{
    private readonly float[] _query = [1, 2, 3, 4, 5, 6, 7, 8];
    private readonly float[] _key = new float[4 * 8];
    private readonly float[] _value = new float[4 * 8];
    private readonly float[] _output = new float[8];

    public int Calls { get; private set; }

    public void Run()
    {
        CpuAttention.Forward(
            new ReadOnlyTensorSpan<float>(_query, [1, 1, 1, 8]),
            new ReadOnlyTensorSpan<float>(_key, [1, 1, 4, 8]),
            new ReadOnlyTensorSpan<float>(_value, [1, 1, 4, 8]),
            new TensorSpan<float>(_output, [1, 1, 1, 8]),
            new DenseMods(),
            null);
        Calls++;
    }
}

/// <summary>A score mod that leaves scores alone but runs attention itself: the kernel must tolerate re-entry.</summary>
public readonly struct NestedAttentionMods(InnerAttention inner) : IAttentionMods
{
    public static bool HasScoreMod => true;

    public static bool HasMaskMod => false;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv)
    {
        inner.Run();
        return score;
    }

    public bool Mask(int batch, int head, int q, int kv) => true;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) => TileClass.Full;

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
    }

    public ulong CaptureFingerprint() => 0;
}
