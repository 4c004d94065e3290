using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// A three-valued boolean for generated tile classifiers: surely true, surely false, or either.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BoolInterval
{
    private BoolInterval(bool mayBeTrue, bool mayBeFalse)
    {
        MayBeTrue = mayBeTrue;
        MayBeFalse = mayBeFalse;
    }

    /// <summary>Gets whether the value may be <see langword="true"/>.</summary>
    public bool MayBeTrue { get; }

    /// <summary>Gets whether the value may be <see langword="false"/>.</summary>
    public bool MayBeFalse { get; }

    /// <summary>Gets whether the value is surely <see langword="true"/>.</summary>
    public bool IsTrue => MayBeTrue && !MayBeFalse;

    /// <summary>Gets whether the value is surely <see langword="false"/>.</summary>
    public bool IsFalse => MayBeFalse && !MayBeTrue;

    /// <summary>Gets the surely-true value.</summary>
    public static BoolInterval True => new(true, false);

    /// <summary>Gets the surely-false value.</summary>
    public static BoolInterval False => new(false, true);

    /// <summary>Gets the value that may be either.</summary>
    public static BoolInterval Unknown => new(true, true);

    /// <summary>Creates the exact value <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see cref="True"/> or <see cref="False"/>.</returns>
    public static BoolInterval Point(bool value) => value ? True : False;

    /// <summary>Turns a mask result over a whole tile into the tile's class.</summary>
    /// <returns>Full when surely kept, Empty when surely dropped, Partial otherwise.</returns>
    public TileClass ToTileClass() => IsTrue ? TileClass.Full : IsFalse ? TileClass.Empty : TileClass.Partial;

    /// <inheritdoc/>
    public override string ToString() => IsTrue ? "true" : IsFalse ? "false" : "unknown";
}
