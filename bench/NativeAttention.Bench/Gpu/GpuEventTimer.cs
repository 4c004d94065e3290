using System;
using System.Diagnostics;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Times one queued call the way bench/gpu/peers.py does: CUDA events around each call, the median of the timed
/// repetitions after the warm-ups. The host time spent inside each call is kept beside it, and the same number of calls
/// queued back to back between one pair of events gives a per-call time from which host gaps between calls vanish:
/// when the two GPU figures differ, the host is what the single-call figure measured.
/// </summary>
internal sealed class GpuEventTimer(CudaDevice device, CudaStream stream, int warmup, int reps)
{
    public int Reps => reps;

    public GpuTiming Measure(Action launch)
    {
        for (int i = 0; i < warmup; i++)
        {
            launch();
        }

        stream.Synchronize();
        var gpu = new double[reps];
        var host = new double[reps];
        using var start = new CudaEvent(device);
        using var stop = new CudaEvent(device);
        for (int i = 0; i < reps; i++)
        {
            start.Record(stream);
            long before = Stopwatch.GetTimestamp();
            launch();
            host[i] = Stopwatch.GetElapsedTime(before).TotalMicroseconds;
            stop.Record(stream);
            stop.Synchronize();
            gpu[i] = CudaEvent.ElapsedMilliseconds(start, stop);
        }

        start.Record(stream);
        for (int i = 0; i < reps; i++)
        {
            launch();
        }

        stop.Record(stream);
        stop.Synchronize();
        double backToBack = CudaEvent.ElapsedMilliseconds(start, stop) / reps;
        return new GpuTiming(Median(gpu), Median(host), backToBack);
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
