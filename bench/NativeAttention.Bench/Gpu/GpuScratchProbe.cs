using System;
using System.Diagnostics;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Host cost of the stream-ordered scratch a decode call allocates (its split partials), in two regimes: each
/// allocation after a synchronize that followed the previous free (as when every call is timed on its own), and
/// allocations queued back to back. A large gap means the driver's pool gave the memory back at the synchronize and
/// maps it again on the next allocation.
/// </summary>
internal static class GpuScratchProbe
{
    private const int Reps = 30;

    /// <summary>The bytes of the two split-partial buffers (outputs, log-sum-exps) one decode call of <paramref name="shape"/> allocates.</summary>
    public static (long Outputs, long LogSumExps) DecodePartialBytes(CudaDevice device, GpuAttentionShape shape)
    {
        GpuKernelUnit unit = GpuModuleCache.Get(device, GpuKernelTemplate.Decode, Dense.Descriptor.CudaSource, GpuDataType.BFloat16, shape.HeadDim, shape.ValueDim);
        GpuDecodePlan plan = GpuDecodePlan.Create(shape, unit.Config[0], unit.Config[1], device.MultiprocessorCount);
        long partials = (long)plan.NumSplits * unit.Config[4];
        return (shape.QueryRows * partials * shape.ValueDim * sizeof(float), shape.QueryRows * partials * sizeof(float));
    }

    /// <summary>Returns the median host microseconds of allocating both buffers, after a synchronize and back to back.</summary>
    public static (double AfterSynchronize, double BackToBack) Measure(CudaDevice device, CudaStream stream, (long Outputs, long LogSumExps) bytes)
    {
        var afterSynchronize = new double[Reps];
        var backToBack = new double[Reps];
        for (int i = 0; i < Reps; i++)
        {
            stream.Synchronize();
            afterSynchronize[i] = TimeAllocation(device, stream, bytes);
        }

        stream.Synchronize();
        for (int i = 0; i < Reps; i++)
        {
            backToBack[i] = TimeAllocation(device, stream, bytes);
        }

        stream.Synchronize();
        return (Median(afterSynchronize), Median(backToBack));
    }

    private static double TimeAllocation(CudaDevice device, CudaStream stream, (long Outputs, long LogSumExps) bytes)
    {
        long start = Stopwatch.GetTimestamp();
        var outputs = new DeviceScratch(device, bytes.Outputs, stream);
        var logSumExps = new DeviceScratch(device, bytes.LogSumExps, stream);
        double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        outputs.Dispose();
        logSumExps.Dispose();
        return microseconds;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return (values[(values.Length - 1) / 2] + values[values.Length / 2]) / 2;
    }
}
