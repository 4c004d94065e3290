using System;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace NativeAttention;

/// <summary>Runs the items of one call on the thread pool and rethrows a failing mod's own exception.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TMods">The spec's mod struct.</typeparam>
/// <typeparam name="TSimd">The micro-kernels of the vector width in use.</typeparam>
internal sealed unsafe class ParallelTileRunner<T, TMods, TSimd>
    where T : unmanaged
    where TMods : struct, IAttentionMods
    where TSimd : ISimdKernels
{
    private static readonly ParallelOptions s_unbounded = new();

    private readonly KeySplitPlan _splitPlan;
    private readonly float* _partials;
    private AttentionTileWork<T, TMods, TSimd> _work;

    private ParallelTileRunner(in AttentionTileWork<T, TMods, TSimd> work, KeySplitPlan splitPlan, float* partials)
    {
        _work = work;
        _splitPlan = splitPlan;
        _partials = partials;
    }

    /// <summary>
    /// Runs every item, or with a split key range every share of every item, on at most
    /// <paramref name="maxDegreeOfParallelism"/> threads.
    /// </summary>
    /// <param name="work">The call.</param>
    /// <param name="maxDegreeOfParallelism">The thread limit; -1 for none.</param>
    /// <param name="splitPlan">The key-range split; default for none.</param>
    /// <param name="partials">The partial buffer when the key range is split, else null.</param>
    public static void Run(in AttentionTileWork<T, TMods, TSimd> work, int maxDegreeOfParallelism, KeySplitPlan splitPlan, float* partials)
    {
        var runner = new ParallelTileRunner<T, TMods, TSimd>(work, splitPlan, partials);
        int units = splitPlan.IsSplit ? work.ItemCount * splitPlan.Splits : work.ItemCount;
        ParallelOptions options = maxDegreeOfParallelism == -1
            ? s_unbounded
            : new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        try
        {
            Parallel.For(0, units, options, runner.RunUnit);
        }
        catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count > 0)
        {
            // A user's spec that throws (an index out of range, say) should see its own exception, as on one thread.
            ExceptionDispatchInfo.Throw(aggregate.InnerExceptions[0]);
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
}
