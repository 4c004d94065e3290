using System.Collections.Concurrent;
using System.Threading;

namespace NativeAttention.Tests.Support;

/// <summary>What a kernel asked of its mods during one or more calls; shared by the copies of an <see cref="ObservedMods{TInner}"/>.</summary>
public sealed class ModsObserver
{
    private int _maskCalls;
    private int _scoreCalls;
    private int _classifyCalls;

    public ConcurrentQueue<(int Batch, int Head, int Q, int KV)> MaskPairs { get; } = new();

    public ConcurrentQueue<(int Batch, int Head, int Q, int KV)> ScorePairs { get; } = new();

    public ConcurrentQueue<(int Batch, int Head, int QFirst, int QLast, int KvFirst, int KvLast, TileClass Class)> Tiles { get; } = new();

    public int MaskCalls => Volatile.Read(ref _maskCalls);

    public int ScoreCalls => Volatile.Read(ref _scoreCalls);

    public int ClassifyCalls => Volatile.Read(ref _classifyCalls);

    public bool RecordPairs { get; init; } = true;

    public void OnMask(int batch, int head, int q, int kv)
    {
        Interlocked.Increment(ref _maskCalls);
        if (RecordPairs)
        {
            MaskPairs.Enqueue((batch, head, q, kv));
        }
    }

    public void OnScore(int batch, int head, int q, int kv)
    {
        Interlocked.Increment(ref _scoreCalls);
        if (RecordPairs)
        {
            ScorePairs.Enqueue((batch, head, q, kv));
        }
    }

    public void OnClassify(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast, TileClass tileClass)
    {
        Interlocked.Increment(ref _classifyCalls);
        Tiles.Enqueue((batch, head, qFirst, qLast, kvFirst, kvLast, tileClass));
    }

    public void Reset()
    {
        _maskCalls = 0;
        _scoreCalls = 0;
        _classifyCalls = 0;
        MaskPairs.Clear();
        ScorePairs.Clear();
        Tiles.Clear();
    }
}
