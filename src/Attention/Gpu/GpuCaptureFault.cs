using System;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// The fault words of span reads that the host cannot prove in range, one per (CUDA context, spec) in mapped pinned
/// host memory. No call waits for the GPU to find out: as with CUDA's own asynchronous errors, a fault is reported by a
/// later call on the same context, or by <see cref="GpuAttention.ThrowIfCaptureFault"/> after a synchronize.
/// </summary>
internal static class GpuCaptureFault
{
    private static readonly Lock s_lock = new();
    private static volatile GpuCaptureFaultWord[] s_words = [];

    /// <summary>
    /// Reports an earlier fault on <paramref name="device"/>'s context, then returns the fault word of
    /// <paramref name="variant"/> there, keeping the span lengths in <paramref name="captures"/> for its report.
    /// </summary>
    public static ulong Arm(CudaDevice device, AttentionVariantDescriptor variant, ReadOnlySpan<byte> captures)
    {
        ThrowIfRecorded(device);
        GpuCaptureFaultWord word = Find(device, variant) ?? Create(device, variant);
        word.RecordLengths(captures);
        return word.DevicePointer;
    }

    /// <summary>Throws the fault that a kernel on <paramref name="device"/>'s context recorded, clearing it.</summary>
    /// <exception cref="IndexOutOfRangeException">A checked span read was out of range.</exception>
    public static void ThrowIfRecorded(CudaDevice device)
    {
        foreach (GpuCaptureFaultWord word in s_words)
        {
            if (word.Device == device && word.TryTakeFault(out IndexOutOfRangeException? fault))
            {
                throw fault;
            }
        }
    }

    /// <summary>Throws the fault that a kernel on any context recorded, clearing it.</summary>
    /// <exception cref="IndexOutOfRangeException">A checked span read was out of range.</exception>
    public static void ThrowIfRecorded()
    {
        foreach (GpuCaptureFaultWord word in s_words)
        {
            if (word.TryTakeFault(out IndexOutOfRangeException? fault))
            {
                throw fault;
            }
        }
    }

    private static GpuCaptureFaultWord? Find(CudaDevice device, AttentionVariantDescriptor variant)
    {
        foreach (GpuCaptureFaultWord word in s_words)
        {
            if (word.Device == device && word.Variant == variant)
            {
                return word;
            }
        }

        return null;
    }

    // Words live as long as the process, like the primary contexts and the compiled modules they serve.
    private static GpuCaptureFaultWord Create(CudaDevice device, AttentionVariantDescriptor variant)
    {
        lock (s_lock)
        {
            if (Find(device, variant) is { } existing)
            {
                return existing;
            }

            var word = new GpuCaptureFaultWord(device, variant);
            s_words = [.. s_words, word];
            return word;
        }
    }
}
