using System;
using System.Diagnostics;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// Dedicated background threads that a parallel CPU call wakes all at once, for calls too short to pay the .NET thread
/// pool's wake-up (it wakes parked workers one after another, each woken worker requesting the next). Between calls a
/// worker spins for a short window watching a generation counter, so back-to-back calls start on every worker within
/// microseconds, then parks. The pool serves one call at a time: <see cref="TryRun"/> answers false while it is busy
/// (another user thread's call, or a unit of the running call that itself calls attention), and the caller then takes
/// the thread pool instead; waiting for the pool would serialize independent user threads and deadlock a nested call.
/// </summary>
internal sealed class CpuWorkerPool
{
    // 100 us of spinning after a call: several times the ~5-20 us a futex wake and reschedule of a parked thread costs,
    // so back-to-back calls (a decode loop, one layer after another) find every worker hot, and short beside the
    // sub-millisecond calls this pool is for, so an idle process stops burning its cores almost at once and other work
    // between calls (projections on other threads) loses at most a tenth of a millisecond of those cores.
    private static readonly long s_workerSpinTicks = Stopwatch.Frequency / 10_000;

    // The caller's own units are done when it waits; what is left is at most one unit per helper (~100 us for an item
    // of dense S=512 D=64), so it spins that long before it blocks rather than pay a wake-up at the end of every call.
    private static readonly long s_callerSpinTicks = Stopwatch.Frequency / 5_000;

    // Short enough that a worker notices a new call within a few hundred nanoseconds, long enough that the timestamp
    // read stays a small share of the loop.
    private const int SpinIterationsPerCheck = 20;

    private readonly int _maxWorkers;

    // Call g sets _wake[g & 1] and, before it publishes g, resets _wake[(g + 1) & 1]: a worker that saw call g parks
    // on the event of call g + 1, which no later call sets before g + 1, so one Set wakes every parked worker.
    private readonly ManualResetEventSlim[] _wake = [new(false), new(false)];
    private readonly ManualResetEventSlim _workersDone = new(false);
    private ParallelUnitCall? _call;
    private int _busy;
    private int _generation;
    private int _tickets;
    private int _outstanding;
    private int _workers;

    /// <summary>Creates a pool that starts no thread until a call needs it.</summary>
    /// <param name="maxWorkers">The most worker threads the pool will start; 0 for a pool that never runs a call.</param>
    public CpuWorkerPool(int maxWorkers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxWorkers);
        _maxWorkers = maxWorkers;
    }

    /// <summary>The process's pool: one worker per processor beyond the calling thread.</summary>
    public static CpuWorkerPool Shared { get; } = new(Environment.ProcessorCount - 1);

    /// <summary>The worker threads started so far.</summary>
    public int WorkerCount => Volatile.Read(ref _workers);

    /// <summary>
    /// Runs <paramref name="call"/>'s units on the calling thread and on up to <paramref name="helpers"/> workers,
    /// and returns once every unit is done and no worker touches the call any more.
    /// </summary>
    /// <param name="call">The call whose units to run.</param>
    /// <param name="helpers">The most workers that may join, beside the calling thread.</param>
    /// <returns>False, having run nothing, when the pool is busy or has no worker to give.</returns>
    public bool TryRun(ParallelUnitCall call, int helpers)
    {
        helpers = Math.Min(helpers, _maxWorkers);
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            StartWorkers(helpers);
            _call = call;
            _outstanding = helpers;
            _workersDone.Reset();

            // Tickets limit the call to its thread count however many workers wake; they open before the generation
            // moves, so a worker that sees the new generation finds them.
            Volatile.Write(ref _tickets, helpers);
            int generation = _generation + 1;
            _wake[(generation + 1) & 1].Reset();
            Volatile.Write(ref _generation, generation);
            _wake[generation & 1].Set();

            call.RunUnits();

            // Every unit is claimed once the caller's loop ends, so a worker that has not joined yet would find nothing:
            // its ticket is withdrawn instead of waited for, and only workers inside the call are waited for. Whoever
            // brings the count to zero owns the event: when a worker did (every ticket was taken, so withdrawing none
            // changed nothing), its Set may still be on its way and must be waited for, or it would land in the next
            // call and release that call's caller before its workers finish.
            int unused = Interlocked.Exchange(ref _tickets, 0);
            if (Interlocked.Add(ref _outstanding, -unused) != 0 || unused == 0)
            {
                WaitForWorkers();
            }

            _call = null;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }

        return true;
    }

    private void StartWorkers(int helpers)
    {
        while (_workers < helpers)
        {
            int seen = _generation;
            var thread = new Thread(() => WorkerLoop(seen))
            {
                IsBackground = true,
                Name = $"NativeAttention CPU worker {_workers + 1}",
            };
            thread.Start();
            Volatile.Write(ref _workers, _workers + 1);
        }
    }

    private void WaitForWorkers()
    {
        // The last worker out sets the event; waiting for the event itself, not for the count, makes sure that Set is
        // over before the next call resets it.
        long deadline = Stopwatch.GetTimestamp() + s_callerSpinTicks;
        var spinner = default(SpinWait);
        while (!_workersDone.IsSet)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                _workersDone.Wait();
                return;
            }

            // Yields now and then: on an oversubscribed machine the worker being waited for may need this core.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void WorkerLoop(int seen)
    {
        while (true)
        {
            seen = AwaitCall(seen);
            if (TryTakeTicket())
            {
                // The caller cannot finish, and so cannot replace _call, before this worker counts itself out.
                _call!.RunUnits();
                if (Interlocked.Decrement(ref _outstanding) == 0)
                {
                    _workersDone.Set();
                }
            }
        }
    }

    private int AwaitCall(int seen)
    {
        long deadline = Stopwatch.GetTimestamp() + s_workerSpinTicks;
        int generation;
        while ((generation = Volatile.Read(ref _generation)) == seen)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(SpinIterationsPerCheck);
            }
            else
            {
                _wake[(seen + 1) & 1].Wait();
            }
        }

        return generation;
    }

    private bool TryTakeTicket()
    {
        int tickets = Volatile.Read(ref _tickets);
        while (tickets > 0)
        {
            int found = Interlocked.CompareExchange(ref _tickets, tickets - 1, tickets);
            if (found == tickets)
            {
                return true;
            }

            tickets = found;
        }

        return false;
    }
}
