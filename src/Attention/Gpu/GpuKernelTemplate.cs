namespace NativeAttention;

/// <summary>The kernel file that ends a compile unit (see native/README.md).</summary>
internal enum GpuKernelTemplate
{
    /// <summary>
    /// <c>na_flash_forward.cu</c> then <c>na_classify_tiles.cu</c>: <c>na_flash_forward</c> and <c>na_classify_tiles</c>,
    /// configs <c>na_forward_config</c> and <c>na_classify_config</c>.
    /// </summary>
    FlashForward,

    /// <summary><c>na_decode.cu</c>: <c>na_decode_split</c> + <c>na_decode_combine</c>, configs <c>na_decode_config</c>, <c>na_combine_config</c>.</summary>
    Decode,
}
