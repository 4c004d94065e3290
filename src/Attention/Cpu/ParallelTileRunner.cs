using System;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace NativeAttention;

/// <summary>Runs the items of one call on the thread pool and rethrows a failing mod's own exception.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TMods">The spec's mod struct.</typeparam>
/// <typeparam name="TSimd">The micro-kernels of the vector width in use.</typeparam>
internal sealed class ParallelTileRunner<T, TMods, TSimd>
    where T : unmanaged
    where TMods : struct, IAttentionMods
    where TSimd : ISimdKernels
{
    private static readonly ParallelOptions s_unbounded = new();

    private AttentionTileWork<T, TMods, TSimd> _work;

    private ParallelTileRunner(in AttentionTileWork<T, TMods, TSimd> work) => _work = work;

    /// <summary>Runs every item, on at most <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    /// <param name="work">The call.</param>
    /// <param name="maxDegreeOfParallelism">The thread limit; -1 for none.</param>
    public static void Run(in AttentionTileWork<T, TMods, TSimd> work, int maxDegreeOfParallelism)
    {
        var runner = new ParallelTileRunner<T, TMods, TSimd>(work);
        ParallelOptions options = maxDegreeOfParallelism == -1
            ? s_unbounded
            : new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        try
        {
            Parallel.For(0, work.ItemCount, options, runner.RunItem);
        }
        catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count > 0)
        {
            // A user's spec that throws (an index out of range, say) should see its own exception, as on one thread.
            ExceptionDispatchInfo.Throw(aggregate.InnerExceptions[0]);
        }
    }

    private void RunItem(int item) => _work.Run(item);
}
