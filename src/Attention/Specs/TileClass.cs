namespace NativeAttention;

/// <summary>What a mask does to a whole tile of (query block × key block).</summary>
public enum TileClass : byte
{
    /// <summary>The mask drops every pair: the tile is skipped and its keys are never loaded.</summary>
    Empty = 0,

    /// <summary>The mask keeps some pairs and drops others: the mask is evaluated per pair.</summary>
    Partial = 1,

    /// <summary>The mask keeps every pair: the tile runs without evaluating the mask.</summary>
    Full = 2,
}
