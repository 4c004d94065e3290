using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// One parallel call's units, run on the calling thread and on helpers that claim units one at a time from a shared
/// counter, so that uneven units (causal rows) balance on their own. Helpers come from a <see cref="CpuWorkerPool"/>
/// when one is given and free, else from the .NET thread pool. A call object may be reused for the next call once
/// every thread that ran it has let go of it (<see cref="OnReleased"/>), so a warm call allocates nothing.
/// </summary>
internal abstract class ParallelUnitCall : IThreadPoolWorkItem
{
    private readonly ManualResetEventSlim _done = new(false);
    private int _units;
    private int _nextUnit;
    private int _completedUnits;
    private int _references;
    private ExceptionDispatchInfo? _failure;

    /// <summary>The threads a call of <paramref name="units"/> units may use, the calling thread included.</summary>
    /// <param name="units">The unit count.</param>
    /// <param name="maxDegreeOfParallelism">The thread limit; -1 for one per processor.</param>
    /// <returns>At least 1 when there is a unit, at most the unit count and the processor count.</returns>
    public static int ThreadCount(int units, int maxDegreeOfParallelism) => Math.Min(units, ThreadLimit(maxDegreeOfParallelism));

    /// <summary>The threads any call may use under <paramref name="maxDegreeOfParallelism"/>, the calling thread included.</summary>
    /// <param name="maxDegreeOfParallelism">The thread limit; -1 for one per processor.</param>
    /// <returns>The limit, at most the processor count.</returns>
    public static int ThreadLimit(int maxDegreeOfParallelism)
        => maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount);

    /// <summary>
    /// Runs units 0 to <paramref name="units"/> - 1, each exactly once, on at most <paramref name="threads"/> threads
    /// (the calling thread included), and rethrows the first exception a unit threw once every unit is done.
    /// </summary>
    /// <param name="units">The unit count.</param>
    /// <param name="threads">The thread limit, the calling thread included; at least 1.</param>
    /// <param name="pool">The dedicated pool to take helpers from, or null for the .NET thread pool.</param>
    protected void Execute(int units, int threads, CpuWorkerPool? pool)
    {
        _units = units;
        _nextUnit = 0;
        _completedUnits = 0;
        _failure = null;
        _done.Reset();

        // The dedicated pool returns only after its helpers have let go of this call, so the caller holds the only
        // reference; a pool that is busy (another user thread's call, or this call's own unit calling attention) or
        // absent leaves the call to the thread pool, whose late workers hold their own references.
        _references = 1;
        if (threads <= 1 || pool is null || !pool.TryRun(this, threads - 1))
        {
            _references = threads;
            for (int helper = 1; helper < threads; helper++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }

            RunUnits();
            _done.Wait();
        }

        ExceptionDispatchInfo? failure = _failure;
        Release();

        // A user's spec that throws (an index out of range, say) sees its own exception, as on one thread.
        failure?.Throw();
    }

    /// <summary>Runs one unit.</summary>
    /// <param name="unit">The unit, 0 to the unit count - 1.</param>
    protected abstract void RunUnit(int unit);

    /// <summary>Called once every thread that ran the call has let go of it: the object may be reused.</summary>
    protected abstract void OnReleased();

    /// <summary>A queued thread-pool worker's entry: claims units until none is left, then lets go of the call.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        RunUnits();
        Release();
    }

    /// <summary>Claims and runs units until none is left; never throws (a unit's exception is kept for the caller).</summary>
    internal void RunUnits()
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

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            OnReleased();
        }
    }
}
