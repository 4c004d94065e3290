using System;
using System.Collections.Concurrent;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// Copies [batch, heads, seq, dim] tensors of 16-bit elements between strided layouts and a packed layout with a
/// different last dimension: zero-padding head dims up to the next native size (64, 128, 256) and cutting the padded
/// output back. The zeros leave q·k unchanged and give output columns that are dropped.
/// </summary>
internal static class GpuPadding
{
    private const string KernelName = "na_copy_rows_padded";
    private const int Threads = 256;

    private const string Source = """
        // Copies rows of 16-bit elements; columns at or past src_dim are written as zero.
        extern "C" __global__ void na_copy_rows_padded(
            const unsigned short* __restrict__ src, long long src_batch, long long src_head, long long src_seq, int src_dim,
            unsigned short* __restrict__ dst, long long dst_batch, long long dst_head, long long dst_seq, int dst_dim,
            int heads, int seq, long long rows)
        {
            const long long total = rows * dst_dim;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
            {
                const long long row = i / dst_dim;
                const int d = (int)(i - row * dst_dim);
                const long long s = row % seq;
                const long long h = (row / seq) % heads;
                const long long b = row / ((long long)seq * heads);
                dst[b * dst_batch + h * dst_head + s * dst_seq + d] =
                    d < src_dim ? src[b * src_batch + h * src_head + s * src_seq + d] : (unsigned short)0;
            }
        }
        """;

    private static readonly ConcurrentDictionary<int, Lazy<CudaKernel>> s_kernels = new();

    /// <summary>Queues a copy of <paramref name="source"/> (dim <paramref name="sourceDim"/>) into <paramref name="destination"/> (dim <paramref name="destinationDim"/>).</summary>
    public static void Copy(
        CudaDevice device, CudaStream? stream, GpuOperand source, int sourceDim, GpuOperand destination, int destinationDim, int batch, int heads, int seq)
    {
        long rows = (long)batch * heads * seq;
        if (rows == 0)
        {
            return;
        }

        long blocks = Math.Min(((rows * destinationDim) + Threads - 1) / Threads, (long)device.MultiprocessorCount * 16);
        var arguments = new KernelArguments();
        arguments.Add(source.Pointer);
        arguments.Add(source.BatchStride);
        arguments.Add(source.HeadStride);
        arguments.Add(source.SeqStride);
        arguments.Add(sourceDim);
        arguments.Add(destination.Pointer);
        arguments.Add(destination.BatchStride);
        arguments.Add(destination.HeadStride);
        arguments.Add(destination.SeqStride);
        arguments.Add(destinationDim);
        arguments.Add(heads);
        arguments.Add(seq);
        arguments.Add(rows);
        Kernel(device).Launch(new Dim3((int)blocks), new Dim3(Threads), 0, stream, arguments);
    }

    private static CudaKernel Kernel(CudaDevice device)
    {
        Lazy<CudaKernel> entry = s_kernels.GetOrAdd(
            device.Ordinal,
            _ => new Lazy<CudaKernel>(() => Load(device), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            s_kernels.TryRemove(new(device.Ordinal, entry));
            throw;
        }
    }

    private static CudaKernel Load(CudaDevice device)
    {
        NvrtcCompilation compilation = KernelCache.Default.GetOrCompile(Source, "na_copy_rows_padded.cu", GpuArchitecture.Select(device), ["-std=c++17"]);
        return CudaModule.Load(device, compilation).GetKernel(KernelName);
    }
}
