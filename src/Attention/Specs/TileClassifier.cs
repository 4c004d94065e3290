using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// Classifies a tile with an interval mask, bisecting it when one interval evaluation cannot decide, so that unions
/// such as "attention sinks or a recent window" are still proven Full.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TileClassifier
{
    /// <summary>The default number of interval evaluations one classification may spend.</summary>
    public const int DefaultBudget = 64;

    /// <summary>Classifies the tile [<paramref name="qFirst"/>, <paramref name="qLast"/>] × [<paramref name="kvFirst"/>, <paramref name="kvLast"/>].</summary>
    /// <typeparam name="TMask">The generated interval mask.</typeparam>
    /// <param name="mask">The mask with its captures.</param>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="qFirst">The first absolute query position.</param>
    /// <param name="qLast">The last absolute query position (inclusive).</param>
    /// <param name="kvFirst">The first key position.</param>
    /// <param name="kvLast">The last key position (inclusive).</param>
    /// <param name="budget">The most interval evaluations to spend; 1 disables bisection.</param>
    /// <returns>Full or Empty only when proven for every pair; Partial otherwise.</returns>
    public static TileClass Classify<TMask>(in TMask mask, int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast, int budget = DefaultBudget)
        where TMask : struct, IIntervalMask
    {
        var state = new State { Remaining = budget };
        if (!Visit(mask, batch, head, qFirst, qLast, kvFirst, kvLast, ref state))
        {
            return TileClass.Partial;
        }

        return state.SawFull ? (state.SawEmpty ? TileClass.Partial : TileClass.Full) : TileClass.Empty;
    }

    // Returns false as soon as the tile is known (or must be assumed) to be Partial.
    private static bool Visit<TMask>(in TMask mask, int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast, ref State state)
        where TMask : struct, IIntervalMask
    {
        if (state.Remaining <= 0)
        {
            return false;
        }

        state.Remaining--;
        BoolInterval kept = mask.EvaluateMask(batch, head, IntInterval.Range(qFirst, qLast), IntInterval.Range(kvFirst, kvLast));
        if (kept.IsTrue)
        {
            state.SawFull = true;
            return !state.SawEmpty;
        }

        if (kept.IsFalse)
        {
            state.SawEmpty = true;
            return !state.SawFull;
        }

        long qSpan = (long)qLast - qFirst, kvSpan = (long)kvLast - kvFirst;
        if (qSpan == 0 && kvSpan == 0)
        {
            return false;
        }

        if (qSpan >= kvSpan)
        {
            int middle = (int)(qFirst + (qSpan / 2));
            return Visit(mask, batch, head, qFirst, middle, kvFirst, kvLast, ref state)
                && Visit(mask, batch, head, middle + 1, qLast, kvFirst, kvLast, ref state);
        }

        int kvMiddle = (int)(kvFirst + (kvSpan / 2));
        return Visit(mask, batch, head, qFirst, qLast, kvFirst, kvMiddle, ref state)
            && Visit(mask, batch, head, qFirst, qLast, kvMiddle + 1, kvLast, ref state);
    }

    private struct State
    {
        public int Remaining;
        public bool SawFull;
        public bool SawEmpty;
    }
}
