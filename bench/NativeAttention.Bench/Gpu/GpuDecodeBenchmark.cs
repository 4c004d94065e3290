using System.IO;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Decode through <c>Dense.Forward</c> with one query (the split-KV path): B=16, H=16, KV 32768, d 128, bf16, in TB/s
/// of K+V read, the figure bench.cu and peers.py report.
/// </summary>
internal static class GpuDecodeBenchmark
{
    private const int Batch = 16;
    private const int Heads = 16;
    private const int SeqKV = 32768;
    private const int HeadDim = 128;

    public static void Run(CudaDevice device, CudaStream stream, GpuEventTimer timer, GpuBenchmarkReport report, TextWriter writer)
    {
        long queryElements = (long)Batch * Heads * HeadDim;
        long kvElements = queryElements * SeqKV;
        BFloat16[] pattern = GpuBenchData.Uniform(1L << 24, -2, 2, 11);
        using DeviceBuffer<BFloat16> query = GpuBenchData.Upload(device, queryElements, GpuBenchData.Uniform(queryElements, -2, 2, 10));
        using DeviceBuffer<BFloat16> key = GpuBenchData.Upload(device, kvElements, pattern);
        using DeviceBuffer<BFloat16> value = GpuBenchData.Upload(device, kvElements, GpuBenchData.Uniform(1L << 24, -1, 1, 12));
        using var output = new DeviceBuffer<BFloat16>(device, queryElements);
        DeviceTensor<BFloat16> q = GpuBenchData.View(query, Batch, Heads, 1, HeadDim);
        DeviceTensor<BFloat16> k = GpuBenchData.View(key, Batch, Heads, SeqKV, HeadDim);
        DeviceTensor<BFloat16> v = GpuBenchData.View(value, Batch, Heads, SeqKV, HeadDim);
        DeviceTensor<BFloat16> o = GpuBenchData.View(output, Batch, Heads, 1, HeadDim);
        void Launch() => Dense.Forward(q, k, v, o, null, stream);

        writer.WriteLine();
        writer.WriteLine($"decode (.NET API, Dense.Forward with 1 query): B={Batch} H={Heads} KV={SeqKV} d={HeadDim} bf16");
        GpuBenchData.Poison(output, queryElements);
        Launch();
        stream.Synchronize();
        long bad = GpuBenchData.CountNonFinite(output, queryElements);
        if (bad != 0)
        {
            report.AddFailure();
            writer.WriteLine($"decode FAILED: {bad} of {queryElements} output elements are NaN or infinite");
            return;
        }

        GpuTiming timing = timer.Measure(Launch);
        double terabytesPerSecond = 2.0 * kvElements * 2 / (timing.Milliseconds * 1e-3) / 1e12;
        report.AddDecode("decode", timing, terabytesPerSecond);
        (long Outputs, long LogSumExps) scratchBytes = GpuScratchProbe.DecodePartialBytes(device, new GpuAttentionShape(Batch, Heads, Heads, 1, SeqKV, HeadDim, HeadDim));
        (double afterSynchronize, double backToBack) = GpuScratchProbe.Measure(device, stream, scratchBytes);
        report.ScratchAllocation = (scratchBytes.Outputs + scratchBytes.LogSumExps, afterSynchronize, backToBack);
        writer.WriteLine($"{"decode",-26} {timing.Milliseconds,9:F4} ms {terabytesPerSecond,7:F2} TB/s {timing.HostMicroseconds,9:F1} host us/call, back to back {timing.BackToBackMilliseconds:F4} ms");
        writer.WriteLine(
            $"decode scratch ({scratchBytes.Outputs} + {scratchBytes.LogSumExps} bytes of split partials): allocation {afterSynchronize:F1} us after a synchronize, {backToBack:F1} us back to back");
    }
}
