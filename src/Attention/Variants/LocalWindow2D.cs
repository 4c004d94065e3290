namespace NativeAttention;

/// <summary>
/// CLEAR's circular local attention for images: tokens are the cells of a grid <c>width</c> cells wide in row-major
/// order, and a token attends to the tokens whose cell lies within Euclidean distance <c>radius</c> of its own.
/// </summary>
[AttentionVariant]
public static partial class LocalWindow2D
{
    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv, int width, float radius)
    {
        int rows = (q / width) - (kv / width);
        int columns = (q % width) - (kv % width);
        return (rows * rows) + (columns * columns) <= radius * radius;
    }
}
