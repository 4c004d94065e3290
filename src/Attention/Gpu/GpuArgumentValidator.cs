using System;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// Checks the arguments of a GPU attention call without touching the GPU: the same shape rules as the CPU path, plus
/// the kernels' host obligations (16-byte aligned base pointers, strides that are multiples of 8 elements) for the
/// tensors the attention kernels read directly (those of a padded dim go through a copy that needs neither), and one
/// device. Every failure names the argument and states the expected and the actual value.
/// </summary>
internal static class GpuArgumentValidator
{
    private const int Rank = 4;
    private const int RowAlignmentElements = 8;
    private const int PointerAlignmentBytes = 16;
    private const int MaxGridDimension = 65535;

    /// <summary>Validates one call and returns its sizes.</summary>
    public static GpuAttentionShape Validate<T>(
        DeviceTensor<T> query, DeviceTensor<T> key, DeviceTensor<T> value, DeviceTensor<T> output, AttentionOptions? options, CudaStream? stream)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        return Validate(
            GpuTensorView.Of(query), GpuTensorView.Of(key), GpuTensorView.Of(value), GpuTensorView.Of(output), Unsafe.SizeOf<T>(), options, stream?.Device.Ordinal);
    }

    /// <summary>Validates one call given views of its tensors (no GPU needed) and returns its sizes.</summary>
    /// <param name="query">The query view.</param>
    /// <param name="key">The key view.</param>
    /// <param name="value">The value view.</param>
    /// <param name="output">The output view.</param>
    /// <param name="elementSize">The element size in bytes.</param>
    /// <param name="options">The options, or null.</param>
    /// <param name="streamDevice">The ordinal of the stream's device, or null for the legacy default stream.</param>
    /// <returns>The call's sizes.</returns>
    public static GpuAttentionShape Validate(
        in GpuTensorView query, in GpuTensorView key, in GpuTensorView value, in GpuTensorView output, int elementSize, AttentionOptions? options, int? streamDevice)
    {
        RequireRank(query.Layout.Rank, nameof(query), "[batch, heads, seqQ, headDim]");
        RequireRank(key.Layout.Rank, nameof(key), "[batch, kvHeads, seqKV, headDim]");
        RequireRank(value.Layout.Rank, nameof(value), "[batch, kvHeads, seqKV, valueDim]");
        RequireRank(output.Layout.Rank, nameof(output), "[batch, heads, seqQ, valueDim]");

        int batch = Length(query.Layout.Lengths, 0, nameof(query), "batch");
        int heads = Length(query.Layout.Lengths, 1, nameof(query), "heads");
        int seqQ = Length(query.Layout.Lengths, 2, nameof(query), "seqQ");
        int headDim = Length(query.Layout.Lengths, 3, nameof(query), "headDim");
        int kvHeads = Length(key.Layout.Lengths, 1, nameof(key), "kvHeads");
        int seqKV = Length(key.Layout.Lengths, 2, nameof(key), "seqKV");
        int valueDim = Length(value.Layout.Lengths, 3, nameof(value), "valueDim");

        if (headDim == 0)
        {
            throw new ArgumentException("Expected query.Lengths[3] (headDim) to be at least 1, but got 0.", nameof(query));
        }

        if (valueDim == 0)
        {
            throw new ArgumentException("Expected value.Lengths[3] (valueDim) to be at least 1, but got 0.", nameof(value));
        }

        RequireMatch(key.Layout.Lengths, 0, batch, nameof(key), "batch", "query");
        RequireMatch(key.Layout.Lengths, 3, headDim, nameof(key), "headDim", "query");
        RequireMatch(value.Layout.Lengths, 0, batch, nameof(value), "batch", "query");
        RequireMatch(value.Layout.Lengths, 1, kvHeads, nameof(value), "kvHeads", "key");
        RequireMatch(value.Layout.Lengths, 2, seqKV, nameof(value), "seqKV", "key");
        RequireMatch(output.Layout.Lengths, 0, batch, nameof(output), "batch", "query");
        RequireMatch(output.Layout.Lengths, 1, heads, nameof(output), "heads", "query");
        RequireMatch(output.Layout.Lengths, 2, seqQ, nameof(output), "seqQ", "query");
        RequireMatch(output.Layout.Lengths, 3, valueDim, nameof(output), "valueDim", "value");

        if (heads > 0 && (kvHeads == 0 || heads % kvHeads != 0))
        {
            throw new ArgumentException(
                $"Expected key.Lengths[1] (kvHeads) to divide query.Lengths[1] (heads) = {heads}, but got {kvHeads}.", nameof(key));
        }

        RequireSupportedDim(headDim, nameof(query), "query.Lengths[3] (headDim)");
        RequireSupportedDim(valueDim, nameof(value), "value.Lengths[3] (valueDim)");
        RequireGridDimension(batch, nameof(query), "query.Lengths[0] (batch)");
        RequireGridDimension(heads, nameof(query), "query.Lengths[1] (heads)");

        int device = query.DeviceOrdinal;
        RequireDevice(key.DeviceOrdinal, device, nameof(key));
        RequireDevice(value.DeviceOrdinal, device, nameof(value));
        RequireDevice(output.DeviceOrdinal, device, nameof(output));
        if (streamDevice is int streamOrdinal && streamOrdinal != device)
        {
            throw new ArgumentException($"Expected a stream of query's device {device}, but got a stream of device {streamOrdinal}.", "stream");
        }

        // Tensors whose dim is padded are read or written only by the padding copy, which needs no row alignment.
        bool headDimNative = GpuCompileUnit.PaddedDim(headDim) == headDim;
        bool valueDimNative = GpuCompileUnit.PaddedDim(valueDim) == valueDim;
        RequireKernelLayout(query, nameof(query), headDimNative);
        RequireKernelLayout(key, nameof(key), headDimNative);
        RequireKernelLayout(value, nameof(value), valueDimNative);
        RequireKernelLayout(output, nameof(output), valueDimNative);
        RequireNoBroadcast(output.Layout.Lengths, output.Layout.Strides);
        RequireDisjoint(output, query, elementSize, nameof(query));
        RequireDisjoint(output, key, elementSize, nameof(key));
        RequireDisjoint(output, value, elementSize, nameof(value));

        var shape = new GpuAttentionShape(batch, heads, kvHeads, seqQ, seqKV, headDim, valueDim);
        ValidateOptions(options, shape, device);
        return shape;
    }

    private static void ValidateOptions(AttentionOptions? options, GpuAttentionShape shape, int device)
    {
        if (options is null)
        {
            return;
        }

        if (options.Scale is float scale && !(float.IsFinite(scale) && scale > 0))
        {
            throw new ArgumentException(
                $"Expected options.Scale to be finite and greater than 0 on the GPU (the kernels fold it into exp2), but got {scale}.", nameof(options));
        }

        if (!options.LogSumExp.IsEmpty)
        {
            throw new ArgumentException(
                $"Expected options.LogSumExp to be empty on the GPU (it is host memory, and GPU calls return before the kernels finish), but got {options.LogSumExp.Length} elements; set options.DeviceLogSumExp instead.",
                nameof(options));
        }

        if (options.DeviceLogSumExp is { } logSumExp)
        {
            if (logSumExp.Device.Ordinal != device)
            {
                throw new ArgumentException(
                    $"Expected options.DeviceLogSumExp on query's device {device}, but got a buffer on device {logSumExp.Device.Ordinal}.", nameof(options));
            }

            if (logSumExp.Length < shape.QueryRows)
            {
                throw new ArgumentException(
                    $"Expected options.DeviceLogSumExp.Length >= batch·heads·seqQ = {shape.QueryRows}, but got {logSumExp.Length}.", nameof(options));
            }
        }
    }

    private static void RequireRank(int rank, string name, string layout)
    {
        if (rank != Rank)
        {
            throw new ArgumentException($"Expected {name} to have rank {Rank} ({layout}), but got rank {rank}.", name);
        }
    }

    private static int Length(ReadOnlySpan<nint> lengths, int dimension, string name, string meaning)
    {
        nint length = lengths[dimension];
        if (length > int.MaxValue)
        {
            throw new ArgumentException($"Expected {name}.Lengths[{dimension}] ({meaning}) to be at most {int.MaxValue}, but got {length}.", name);
        }

        return (int)length;
    }

    private static void RequireMatch(ReadOnlySpan<nint> lengths, int dimension, int expected, string name, string meaning, string source)
    {
        if (lengths[dimension] != expected)
        {
            throw new ArgumentException(
                $"Expected {name}.Lengths[{dimension}] ({meaning}) = {expected} to match {source}, but got {lengths[dimension]}.", name);
        }
    }

    private static void RequireSupportedDim(int dim, string name, string meaning)
    {
        if (dim > GpuCompileUnit.NativeDims[^1])
        {
            throw new NotSupportedException(
                $"Expected {meaning} of at most {GpuCompileUnit.NativeDims[^1]} on the GPU (64, 128 and 256 run natively, smaller dims are zero-padded up), but got {dim} in {name}.");
        }
    }

    private static void RequireGridDimension(int length, string name, string meaning)
    {
        if (length > MaxGridDimension)
        {
            throw new ArgumentException($"Expected {meaning} to be at most {MaxGridDimension} (a CUDA grid dimension), but got {length}.", name);
        }
    }

    private static void RequireDevice(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Expected {name} on query's device {expected}, but got device {actual}.", name);
        }
    }

    private static void RequireKernelLayout(in GpuTensorView tensor, string name, bool readByAttentionKernels)
    {
        ReadOnlySpan<nint> lengths = tensor.Layout.Lengths;
        ReadOnlySpan<nint> strides = tensor.Layout.Strides;
        if (lengths[Rank - 1] > 1 && strides[Rank - 1] != 1)
        {
            throw new ArgumentException(
                $"Expected {name}.Strides[{Rank - 1}] = 1 (the last dimension must be contiguous), but got {strides[Rank - 1]}.", name);
        }

        if (!readByAttentionKernels)
        {
            return;
        }

        for (int dimension = 0; dimension < Rank - 1; dimension++)
        {
            if (lengths[dimension] > 1 && strides[dimension] % RowAlignmentElements != 0)
            {
                throw new ArgumentException(
                    $"Expected {name}.Strides[{dimension}] to be a multiple of {RowAlignmentElements} elements (every GPU row starts 16-byte aligned), but got {strides[dimension]}.",
                    name);
            }
        }

        if (tensor.Pointer % PointerAlignmentBytes != 0)
        {
            throw new ArgumentException(
                $"Expected {name}'s first element at a {PointerAlignmentBytes}-byte aligned device address (offset a multiple of {RowAlignmentElements} elements), but got 0x{tensor.Pointer:x} (offset {tensor.Layout.Offset}).",
                name);
        }
    }

    private static void RequireNoBroadcast(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        for (int dimension = 0; dimension < Rank - 1; dimension++)
        {
            if (lengths[dimension] > 1 && strides[dimension] == 0)
            {
                throw new ArgumentException(
                    $"Expected output.Strides[{dimension}] to be nonzero (output elements must not alias each other), but got 0.", "output");
            }
        }
    }

    private static void RequireDisjoint(in GpuTensorView output, in GpuTensorView input, int elementSize, string name)
    {
        if (output.Layout.FlattenedLength == 0 || input.Layout.FlattenedLength == 0)
        {
            return;
        }

        ulong outputStart = output.Pointer;
        ulong outputEnd = outputStart + ((ulong)output.Layout.ElementSpan * (ulong)elementSize);
        ulong inputStart = input.Pointer;
        ulong inputEnd = inputStart + ((ulong)input.Layout.ElementSpan * (ulong)elementSize);
        if (outputStart < inputEnd && inputStart < outputEnd)
        {
            throw new ArgumentException(
                $"Expected output's device memory [0x{outputStart:x}, 0x{outputEnd:x}) not to overlap {name}'s, but {name} spans [0x{inputStart:x}, 0x{inputEnd:x}).",
                name);
        }
    }
}
