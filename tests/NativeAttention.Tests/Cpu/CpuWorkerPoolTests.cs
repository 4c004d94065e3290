using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The dedicated worker pool behind parallel CPU calls. Most tests use a private pool of three workers, so that several
/// workers race even on a two-core machine and other test classes' calls cannot keep the pool busy; each test body
/// runs under a timeout so that a lost wake-up fails the test instead of hanging the run.
/// </summary>
public sealed class CpuWorkerPoolTests
{
    private const int PoolWorkers = 3;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly CpuWorkerPool s_pool = new(PoolWorkers);

    public static TheoryData<int> ThreadLimits => [1, 2, Environment.ProcessorCount, Environment.ProcessorCount + 3, PoolWorkers + 1, PoolWorkers + 5];

    [Theory]
    [MemberData(nameof(ThreadLimits))]
    public void EveryUnitRunsExactlyOnceOnAtMostTheGivenThreads(int threads)
    {
        WithTimeout(() =>
        {
            var call = new CountingCall(300);
            bool workerJoined = false;
            foreach (int units in (int[])[1, 2, 3, 7, 16, 64, 257])
            {
                for (int repeat = 0; repeat < 40; repeat++)
                {
                    call.Run(units, threads, s_pool);
                    call.AssertEachRanOnce(units, threads);
                    Assert.True(call.Released, "A pool worker still held the call after the pool returned.");
                    workerJoined |= call.UnitsOnPoolWorkers > 0;
                    Assert.Equal(0, call.UnitsOnThreadPool);
                }
            }

            // Whether a worker wakes before the caller has claimed every unit is timing, but over hundreds of calls
            // with a few hundred units each one does unless the pool never takes the call.
            Assert.Equal(threads > 1, workerJoined);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(1000)]
    public void EveryUnitRunsExactlyOnceOnTheSharedPoolUnderAParallelismLimit(int maxDegreeOfParallelism)
    {
        WithTimeout(() =>
        {
            var call = new CountingCall(100);
            foreach (int units in (int[])[1, 5, 100])
            {
                int threads = ParallelUnitCall.ThreadCount(units, maxDegreeOfParallelism);
                Assert.InRange(threads, 1, Math.Min(units, Environment.ProcessorCount));
                for (int repeat = 0; repeat < 50; repeat++)
                {
                    call.Run(units, threads, CpuWorkerPool.Shared);
                    call.AssertEachRanOnce(units, threads);
                }
            }
        });
    }

    [Fact]
    public void AnExceptionInOneUnitSurfacesOnTheCallerAndThePoolStaysUsable()
    {
        WithTimeout(() =>
        {
            var call = new CountingCall(64);
            for (int repeat = 0; repeat < 20; repeat++)
            {
                call.ThrowAt = repeat % 64;
                var thrown = Assert.Throws<InvalidOperationException>(() => call.Run(64, 4, s_pool));
                Assert.Equal($"unit {repeat % 64}", thrown.Message);

                call.ThrowAt = -1;
                call.Run(64, 4, s_pool);
                call.AssertEachRanOnce(64, 4);
            }
        });
    }

    [Fact]
    public void ConcurrentCallsFromFourUserThreadsAllComplete()
    {
        var failures = new Exception?[4];
        var users = new Thread[4];
        for (int user = 0; user < users.Length; user++)
        {
            int index = user;
            users[user] = new Thread(() =>
            {
                try
                {
                    var call = new CountingCall(97);
                    for (int repeat = 0; repeat < 200; repeat++)
                    {
                        int units = 1 + (repeat * 31 + index * 7) % 97;
                        call.Run(units, 1 + repeat % 5, s_pool);
                        call.AssertEachRanOnce(units, 1 + repeat % 5);
                    }
                }
                catch (Exception exception)
                {
                    failures[index] = exception;
                }
            })
            { IsBackground = true };
            users[user].Start();
        }

        foreach (Thread user in users)
        {
            Assert.True(user.Join(s_timeout), "A user thread's calls did not complete within the timeout.");
        }

        Assert.All(failures, Assert.Null);
    }

    [Fact]
    public void AUnitThatRunsAParallelCallItselfCompletes()
    {
        WithTimeout(() =>
        {
            int innerCalls = 0;
            var outer = new CountingCall(24)
            {
                // The outer call holds the pool, so each inner call takes the thread pool, from the caller's thread
                // and from pool workers alike; the unit waits only on threads that are not busy with the outer call.
                Nested = unit =>
                {
                    var inner = new CountingCall(40);
                    inner.Run(40, 4, s_pool);
                    inner.AssertEachRanOnce(40, 4);
                    Interlocked.Increment(ref innerCalls);
                },
            };
            for (int repeat = 0; repeat < 20; repeat++)
            {
                outer.Run(24, 4, s_pool);
                outer.AssertEachRanOnce(24, 4);
            }

            Assert.Equal(20 * 24, innerCalls);
        });
    }

    [Fact]
    public void NoCallReturnsBeforeItsWorkersFinishOverManyShortCalls()
    {
        // Two threads and a few short units: the worker often takes the only ticket and finishes last, the case where the
        // event it sets must not carry over into the next call and release that caller early.
        WithTimeout(() =>
        {
            var call = new CountingCall(4) { SpinPerUnit = 20 };
            for (int repeat = 0; repeat < 20000; repeat++)
            {
                int units = 2 + (repeat % 3);
                call.Run(units, 2, s_pool);
                call.AssertEachRanOnce(units, 2);
            }
        });
    }

    [Fact]
    public void CallsAllocateNothingOnTheCallingThreadAfterWarmUp()
    {
        WithTimeout(() =>
        {
            var call = new CountingCall(64);
            const int Calls = 100;
            for (int i = 0; i < Calls; i++)
            {
                call.Run(64, PoolWorkers + 1, s_pool);
            }

            // The runtime may allocate a few bytes once on this thread (tiered compilation); any per-call object is at
            // least 24 bytes, so a pool that allocates per call does so in every round.
            long fewest = long.MaxValue;
            for (int round = 0; round < 3 && fewest >= Calls * 24; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < Calls; i++)
                {
                    call.Run(64, PoolWorkers + 1, s_pool);
                }

                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.True(fewest < Calls * 24, $"{Calls} calls allocated {fewest} bytes on the calling thread in the best of three rounds.");
        });
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(1000)]
    public void BackToBackAttentionCallsMatchTheReference(int maxDegreeOfParallelism)
    {
        WithTimeout(() =>
        {
            var problem = AttentionProblem<float>.Random(91, 1, 8, 8, 192, 192, 64, 64);
            (TestTensor<float> expected, float[] expectedLse) = problem.RunReference(new CausalMods());
            for (int repeat = 0; repeat < 10; repeat++)
            {
                (TestTensor<float> actual, float[] actualLse) = problem.RunKernel(new CausalMods(), maxDegreeOfParallelism: maxDegreeOfParallelism);
                AttentionAssert.Close(expected, actual, 1e-5);
                AttentionAssert.LogSumExpClose(expectedLse, actualLse, 1e-5);
            }
        });
    }

    private static void WithTimeout(Action body)
    {
        Task run = Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(run.Wait(s_timeout), "The calls did not complete within the timeout.");
    }

    /// <summary>A call whose units count their own runs and note the threads that ran them.</summary>
    private sealed class CountingCall(int capacity) : ParallelUnitCall
    {
        private readonly int[] _runs = new int[capacity];
        private readonly int[] _threadIds = new int[capacity];
        private readonly int[] _finished = new int[capacity];
        private int _unitsOnPoolWorkers;
        private int _unitsOnThreadPool;
        private bool _released = true;

        public int ThrowAt { get; set; } = -1;

        public Action<int>? Nested { get; init; }

        public int SpinPerUnit { get; init; } = 200;

        public int UnitsOnPoolWorkers => _unitsOnPoolWorkers;

        public int UnitsOnThreadPool => _unitsOnThreadPool;

        /// <summary>True once every thread that ran the last call has let go of it.</summary>
        public bool Released => Volatile.Read(ref _released);

        public void Run(int units, int threads, CpuWorkerPool pool)
        {
            // A thread-pool worker of the last call may still be on its way out (the runner's pool waits for the same
            // before it hands a runner out again).
            long deadline = Stopwatch.GetTimestamp() + (long)(s_timeout.TotalSeconds * Stopwatch.Frequency);
            while (!Released)
            {
                Assert.True(Stopwatch.GetTimestamp() < deadline, "The last call was never released.");
                Thread.Sleep(0);
            }

            _released = false;
            Array.Clear(_runs);
            Array.Clear(_threadIds);
            Array.Clear(_finished);
            _unitsOnPoolWorkers = 0;
            _unitsOnThreadPool = 0;
            Execute(units, threads, pool);
        }

        public void AssertEachRanOnce(int units, int threads)
        {
            for (int unit = 0; unit < units; unit++)
            {
                Assert.True(_runs[unit] == 1, $"Unit {unit} of {units} ran {_runs[unit]} times.");
                Assert.True(Volatile.Read(ref _finished[unit]) == 1, $"Unit {unit} of {units} had not finished when the call returned.");
            }

            int distinct = 0;
            for (int unit = 0; unit < units; unit++)
            {
                if (Array.IndexOf(_threadIds, _threadIds[unit], 0, unit) < 0)
                {
                    distinct++;
                }
            }

            Assert.True(distinct <= threads, $"{distinct} threads ran the units of a call limited to {threads}.");
        }

        protected override void RunUnit(int unit)
        {
            Interlocked.Increment(ref _runs[unit]);
            try
            {
                _threadIds[unit] = Environment.CurrentManagedThreadId;
                Thread current = Thread.CurrentThread;
                if (current.IsThreadPoolThread)
                {
                    Interlocked.Increment(ref _unitsOnThreadPool);
                }
                else if (current.Name?.StartsWith("NativeAttention CPU worker", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref _unitsOnPoolWorkers);
                }

                if (unit == ThrowAt)
                {
                    throw new InvalidOperationException($"unit {unit}");
                }

                Nested?.Invoke(unit);

                // A little work per unit gives a woken worker the chance to join before the caller has claimed everything.
                Thread.SpinWait(SpinPerUnit);
            }
            finally
            {
                Interlocked.Increment(ref _finished[unit]);
            }
        }

        protected override void OnReleased() => Volatile.Write(ref _released, true);
    }
}
