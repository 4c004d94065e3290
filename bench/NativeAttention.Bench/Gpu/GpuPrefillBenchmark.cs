using System.Collections.Generic;
using System.IO;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// The issue's prefill list through the generated overloads: bf16, 16 heads of 128, batch × seq = 16384; dense and
/// causal at S 1024/4096/16384, sliding window 1024, ALiBi + causal and soft-cap 30 at S 4096. FLOPs = 4·B·H·D·kept
/// pairs. Every case's output is poisoned with NaN first and checked for non-finite values after its first call.
/// </summary>
internal static class GpuPrefillBenchmark
{
    public const int Heads = 16;
    public const int HeadDim = 128;
    public const int Tokens = 16384;

    public static void Run(CudaDevice device, CudaStream stream, GpuEventTimer timer, GpuBenchmarkReport report, TextWriter writer)
    {
        long elements = (long)Tokens * Heads * HeadDim;
        using DeviceBuffer<BFloat16> query = GpuBenchData.Upload(device, elements, GpuBenchData.Uniform(elements, -2, 2, 1));
        using DeviceBuffer<BFloat16> key = GpuBenchData.Upload(device, elements, GpuBenchData.Uniform(elements, -2, 2, 2));
        using DeviceBuffer<BFloat16> value = GpuBenchData.Upload(device, elements, GpuBenchData.Uniform(elements, -1, 1, 3));
        using var output = new DeviceBuffer<BFloat16>(device, elements);
        using var captures = new GpuBenchCaptures(device, Heads, 4096);

        writer.WriteLine();
        writer.WriteLine($"prefill (.NET API): bf16, {Heads} heads of {HeadDim}, B x S = {Tokens}; CUDA events, median of {timer.Reps}");
        writer.WriteLine($"{"case",-26} {"ms",9} {"TFLOP/s",9} {"host us/call",13} {"back-to-back ms",16}");
        foreach (GpuPrefillCase benchCase in Cases())
        {
            int batch = Tokens / benchCase.Seq;
            DeviceTensor<BFloat16> q = GpuBenchData.View(query, batch, Heads, benchCase.Seq, HeadDim);
            DeviceTensor<BFloat16> k = GpuBenchData.View(key, batch, Heads, benchCase.Seq, HeadDim);
            DeviceTensor<BFloat16> v = GpuBenchData.View(value, batch, Heads, benchCase.Seq, HeadDim);
            DeviceTensor<BFloat16> o = GpuBenchData.View(output, batch, Heads, benchCase.Seq, HeadDim);
            void Launch() => benchCase.Launch(q, k, v, o, captures, stream);

            GpuBenchData.Poison(output, elements);
            Launch();
            stream.Synchronize();
            long bad = GpuBenchData.CountNonFinite(output, elements);
            if (bad != 0)
            {
                report.AddFailure();
                writer.WriteLine($"{benchCase.Key,-26} FAILED: {bad} of {elements} output elements are NaN or infinite");
                continue;
            }

            GpuTiming timing = timer.Measure(Launch);
            double teraflops = 4.0 * batch * Heads * HeadDim * benchCase.KeptPairs / (timing.Milliseconds * 1e-3) / 1e12;
            report.AddPrefill(benchCase.Key, timing, teraflops);
            writer.WriteLine($"{benchCase.Key,-26} {timing.Milliseconds,9:F4} {teraflops,9:F1} {timing.HostMicroseconds,13:F1} {timing.BackToBackMilliseconds,16:F4}");
        }
    }

    private static IEnumerable<GpuPrefillCase> Cases()
    {
        foreach (int seq in (int[])[1024, 4096, 16384])
        {
            yield return new($"fwd_dense_S{seq}", seq, GpuPrefillCase.Dense(seq), (q, k, v, o, _, s) => Dense.Forward(q, k, v, o, null, s));
            yield return new($"fwd_causal_S{seq}", seq, GpuPrefillCase.Causal(seq), (q, k, v, o, _, s) => Causal.Forward(q, k, v, o, null, s));
        }

        yield return new("fwd_sliding1024_S4096", 4096, GpuPrefillCase.Window(4096, 1024), (q, k, v, o, _, s) => SlidingWindow.Forward(q, k, v, o, 1024, null, s));
        yield return new("fwd_alibi_causal_S4096", 4096, GpuPrefillCase.Causal(4096), (q, k, v, o, c, s) => Alibi.Forward(q, k, v, o, c.Slopes, null, s));
        yield return new("fwd_softcap30_S4096", 4096, GpuPrefillCase.Dense(4096), (q, k, v, o, _, s) => SoftCap.Forward(q, k, v, o, 30f, null, s));
    }
}
