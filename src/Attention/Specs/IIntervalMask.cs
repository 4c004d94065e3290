using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// A mask mod lifted to intervals by the generator: evaluates the mask over whole ranges of positions at once.
/// </summary>
/// <remarks>Implemented by generated mod structs; not meant to be implemented by hand.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IIntervalMask
{
    /// <summary>Evaluates the mask for every pair with <paramref name="q"/> and <paramref name="kv"/> in the given ranges.</summary>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="q">The absolute query positions.</param>
    /// <param name="kv">The key positions.</param>
    /// <returns>True when every pair is kept, false when every pair is dropped, unknown otherwise.</returns>
    BoolInterval EvaluateMask(int batch, int head, IntInterval q, IntInterval kv);
}
