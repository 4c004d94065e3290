using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// The GPU attention forward pass that every generated GPU <c>Forward</c> overload calls: it assembles and compiles the
/// spec's kernels once per (spec, dtype, dims, device), then queues them on the stream without waiting for the GPU.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GpuAttention
{
    /// <summary>The most queries per (batch, head) that take the split-KV decode kernels instead of the flash forward.</summary>
    public const int DecodeMaxQueries = 16;

    /// <summary>
    /// Queues attention with the mods of one spec on <paramref name="stream"/>. Returns before the GPU finishes:
    /// synchronize the stream before reading <paramref name="output"/> or the log-sum-exp.
    /// </summary>
    /// <typeparam name="T"><see cref="Half"/> or <see cref="BFloat16"/>.</typeparam>
    /// <typeparam name="TMods">The spec's generated mod struct.</typeparam>
    /// <param name="query">[batch, heads, seqQ, headDim], last dimension contiguous, other strides multiples of 8, 16-byte aligned.</param>
    /// <param name="key">[batch, kvHeads, seqKV, headDim], same layout rules.</param>
    /// <param name="value">[batch, kvHeads, seqKV, valueDim], same layout rules.</param>
    /// <param name="output">[batch, heads, seqQ, valueDim], same layout rules, not overlapping the inputs.</param>
    /// <param name="variant">The spec's descriptor (its CUDA source and capture layout).</param>
    /// <param name="captures">The spec's <c>na_captures</c> bytes, written with <see cref="GpuCaptureWriter"/>.</param>
    /// <param name="captureLengths">
    /// The spec's mods holding only the lengths of its span captures (their memory is on the device): used to check the
    /// lengths against the shape and for the mask's dependence on batch and head.
    /// </param>
    /// <param name="maskReadsSpanCapture">
    /// Whether the mask mod reads a span capture: its run-time tile map is then rebuilt every call (the device memory
    /// may have changed); otherwise it is cached per shape and scalar captures.
    /// </param>
    /// <param name="options">Scale and <see cref="AttentionOptions.DeviceLogSumExp"/>; null for the defaults.</param>
    /// <param name="stream">The stream to queue on; null for the legacy default stream.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not Half or BFloat16, or a head dim exceeds 256.</exception>
    /// <exception cref="ArgumentException">The shapes, layouts, devices, options or captures do not fit together.</exception>
    /// <exception cref="IndexOutOfRangeException">An earlier call on the same device read a span capture out of range (see <see cref="ThrowIfCaptureFault"/>).</exception>
    public static void Forward<T, TMods>(
        DeviceTensor<T> query,
        DeviceTensor<T> key,
        DeviceTensor<T> value,
        DeviceTensor<T> output,
        AttentionVariantDescriptor variant,
        ReadOnlySpan<byte> captures,
        in TMods captureLengths,
        bool maskReadsSpanCapture,
        AttentionOptions? options,
        CudaStream? stream)
        where T : unmanaged
        where TMods : struct, IAttentionMods
    {
        GpuDataType dataType = GpuDataTypes.Of<T>();
        ArgumentNullException.ThrowIfNull(variant);
        if (captures.Length != variant.CapturesSize)
        {
            throw new ArgumentException(
                $"Expected {variant.CapturesSize} bytes of captures for {variant.Name} (its na_captures size), but got {captures.Length}.", nameof(captures));
        }

        GpuAttentionShape shape = GpuArgumentValidator.Validate(query, key, value, output, options, stream);
        GpuCaptureFault.ThrowIfRecorded(query.Buffer.Device);
        captureLengths.ValidateCaptures(shape.Batch, shape.Heads, shape.SeqQ, shape.SeqKV);
        if (shape.QueryRows == 0)
        {
            return;
        }

        float scale = options?.Scale ?? (float)(1.0 / Math.Sqrt(shape.HeadDim));
        var call = new GpuAttentionCall(
            query.Buffer.Device, stream, variant, dataType, shape, scale, options?.DeviceLogSumExp?.DevicePointer ?? 0,
            TMods.MaskDependsOnBatch, TMods.MaskDependsOnHead, maskReadsSpanCapture);
        Run(call, GpuOperand.Of(query), GpuOperand.Of(key), GpuOperand.Of(value), GpuOperand.Of(output), captures);
    }

    /// <summary>
    /// Throws when a span read of an earlier GPU call, at an index the host could not check, fell outside its capture:
    /// the kernel read 0 there instead, so that call's output is not valid. Call it after synchronizing the stream (or the
    /// device) to learn about the calls queued before; without it the next GPU call on the same device reports the
    /// fault. The fault is cleared once reported.
    /// </summary>
    /// <exception cref="IndexOutOfRangeException">A span capture was read out of range; the message names the spec, the capture, the index and the length.</exception>
    public static void ThrowIfCaptureFault() => GpuCaptureFault.ThrowIfRecorded();

    // Apart from the generic entry point on purpose: its loop and exception handling would make the JIT compile every
    // instantiation fully optimized on a process's first call, while this non-generic part is precompiled.
    private static void Run(
        GpuAttentionCall call, GpuOperand query, GpuOperand key, GpuOperand value, GpuOperand output, ReadOnlySpan<byte> captures)
    {
        var scratch = new List<DeviceScratch>();
        try
        {
            call.Run(query, key, value, output, captures, scratch);
        }
        finally
        {
            foreach (DeviceScratch memory in scratch)
            {
                memory.Dispose();
            }
        }
    }
}
