using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// Runs the units of one call (items, or shares of items on the decode path) on the calling thread and on thread-pool
/// workers that claim units one at a time from a shared counter, so that uneven units (causal rows) balance on their
/// own. A runner is pooled: once the call and every worker it queued are done with it, the next call reuses it, so a
/// parallel call allocates nothing after warm-up (Parallel.For allocated its tasks and closures on every call).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TMods">The spec's mod struct.</typeparam>
/// <typeparam name="TSimd">The micro-kernels of the vector width in use.</typeparam>
internal sealed unsafe class ParallelTileRunner<T, TMods, TSimd> : IThreadPoolWorkItem
    where T : unmanaged
    where TMods : struct, IAttentionMods
    where TSimd : ISimdKernels
{
    // A worker queued by one call may let go of its runner only after the next call has started (all units were
    // claimed before the worker ran); a few slots keep such overlapping calls from allocating a new runner.
    private const int PooledRunners = 4;
    private static readonly ParallelTileRunner<T, TMods, TSimd>?[] s_pool = new ParallelTileRunner<T, TMods, TSimd>?[PooledRunners];

    private readonly ManualResetEventSlim _done = new(false);
    private AttentionTileWork<T, TMods, TSimd> _work;
    private KeySplitPlan _splitPlan;
    private float* _partials;
    private int _units;
    private int _nextUnit;
    private int _completedUnits;
    private int _references;
    private ExceptionDispatchInfo? _failure;

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

        int threads = Math.Min(units, maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount));
        ParallelTileRunner<T, TMods, TSimd> runner = Rent();
        runner._work = work;
        runner._splitPlan = splitPlan;
        runner._partials = partials;
        runner._units = units;
        runner._nextUnit = 0;
        runner._completedUnits = 0;
        runner._failure = null;
        runner._done.Reset();
        runner._references = threads;
        for (int worker = 1; worker < threads; worker++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(runner, preferLocal: false);
        }

        runner.RunUnits();
        runner._done.Wait();
        ExceptionDispatchInfo? failure = runner._failure;
        runner.Release();

        // A user's spec that throws (an index out of range, say) sees its own exception, as on one thread.
        failure?.Throw();
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

    /// <summary>A queued worker's entry: claims units until none is left, then lets go of the runner.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        RunUnits();
        Release();
    }

    private void RunUnits()
    {
        int units = _units;
        for (int unit = Interlocked.Increment(ref _nextUnit) - 1; unit < units; unit = Interlocked.Increment(ref _nextUnit) - 1)
        {
            // After a failure the remaining units are still claimed and counted, unrun, so that the call completes.
            if (Volatile.Read(ref _failure) is null)
            {
                try
                {
                    RunUnit(unit);
                }
                catch (Exception exception)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
                }
            }

            if (Interlocked.Increment(ref _completedUnits) == units)
            {
                _done.Set();
            }
        }
    }

    private void RunUnit(int unit)
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

    /// <summary>Drops one reference; the last holder (the call or a late worker) returns the runner to the pool.</summary>
    private void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
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
    }
}
