namespace NativeAttention;

/// <summary>A tile map as <c>na_forward_params</c> takes it: address and strides, 0 where the mask ignores that index; a zero address means no map.</summary>
internal readonly record struct GpuTileMapView(ulong Pointer, long BatchStride, long HeadStride, long QStride);
