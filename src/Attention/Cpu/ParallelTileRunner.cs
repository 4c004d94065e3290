using System.Threading;

namespace NativeAttention;

/// <summary>
/// Runs the units of one call (items, or shares of items on the decode path) through <see cref="ParallelUnitCall"/>:
/// on the calling thread and on the dedicated <see cref="CpuWorkerPool"/> (or thread-pool workers). A runner is
/// pooled: once the call and every worker that ran it are done with it, the next call reuses it, so a parallel call
/// allocates nothing after warm-up (Parallel.For allocated its tasks and closures on every call).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TMods">The spec's mod struct.</typeparam>
/// <typeparam name="TSimd">The micro-kernels of the vector width in use.</typeparam>
internal sealed unsafe class ParallelTileRunner<T, TMods, TSimd> : ParallelUnitCall
    where T : unmanaged
    where TMods : struct, IAttentionMods
    where TSimd : ISimdKernels
{
    // A thread-pool worker queued by one call may let go of its runner only after the next call has started (all units
    // were claimed before the worker ran); a few slots keep such overlapping calls from allocating a new runner.
    private const int PooledRunners = 4;
    private static readonly ParallelTileRunner<T, TMods, TSimd>?[] s_pool = new ParallelTileRunner<T, TMods, TSimd>?[PooledRunners];

    private AttentionTileWork<T, TMods, TSimd> _work;
    private KeySplitPlan _splitPlan;
    private float* _partials;

    /// <summary>
    /// Runs every item, or with a split key range every share of every item, on at most
    /// <paramref name="maxDegreeOfParallelism"/> threads, the calling thread included.
    /// </summary>
    /// <param name="work">The call.</param>
    /// <param name="maxDegreeOfParallelism">The thread limit; -1 for one per processor.</param>
    /// <param name="splitPlan">The key-range split; default for none.</param>
    /// <param name="partials">The partial buffer when the key range is split, else null.</param>
    public static void Run(in AttentionTileWork<T, TMods, TSimd> work, int maxDegreeOfParallelism, KeySplitPlan splitPlan, float* partials)
    {
        int units = splitPlan.IsSplit ? work.ItemCount * splitPlan.Splits : work.ItemCount;
        if (units == 0)
        {
            return;
        }

        ParallelTileRunner<T, TMods, TSimd> runner = Rent();
        runner._work = work;
        runner._splitPlan = splitPlan;
        runner._partials = partials;
        runner.Execute(units, ThreadCount(units, maxDegreeOfParallelism), CpuWorkerPool.Shared);
    }

    /// <inheritdoc />
    protected override void RunUnit(int unit)
    {
        if (_splitPlan.IsSplit)
        {
            _work.RunPartial(unit / _splitPlan.Splits, unit % _splitPlan.Splits, _partials, _splitPlan);
        }
        else
        {
            _work.Run(unit);
        }
    }

    /// <inheritdoc />
    protected override void OnReleased()
    {
        _work = default;
        _partials = null;
        for (int slot = 0; slot < PooledRunners; slot++)
        {
            if (Interlocked.CompareExchange(ref s_pool[slot], this, null) is null)
            {
                return;
            }
        }
    }

    private static ParallelTileRunner<T, TMods, TSimd> Rent()
    {
        for (int slot = 0; slot < PooledRunners; slot++)
        {
            if (Interlocked.Exchange(ref s_pool[slot], null) is { } pooled)
            {
                return pooled;
            }
        }

        return new ParallelTileRunner<T, TMods, TSimd>();
    }
}
