using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeAttention.Bench;

/// <summary>
/// What the machine is, printed before any measurement: CPU and SIMD width, .NET, CUDA driver, device, NVRTC, kernel
/// cache folder, and, when a GPU is present, one kernel compiled, launched, checked and timed end to end.
/// </summary>
internal static class EnvironmentReport
{
    private const string ProbeKernelSource = """
        extern "C" __global__ void probe_axpy(float* __restrict__ output, const float* __restrict__ x, const float* __restrict__ y, float a, int n)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) output[i] = a * x[i] + y[i];
        }
        """;

    /// <summary>Writes the report; returns false when the GPU probe kernel produced a wrong result.</summary>
    public static bool Write(TextWriter writer)
    {
        writer.WriteLine("== Environment ==");
        writer.WriteLine($"CPU            {CpuModel()}");
        writer.WriteLine($"Cores          {Environment.ProcessorCount} logical");
        writer.WriteLine($"SIMD           Vector512 {YesNo(Vector512.IsHardwareAccelerated)}, Vector256 {YesNo(Vector256.IsHardwareAccelerated)}, Vector<float> {Vector<float>.Count * 32} bits");
        writer.WriteLine($".NET           {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        writer.WriteLine($"CUDA driver    {DriverLine()}");
        writer.WriteLine($"NVRTC          {(Cuda.IsNvrtcAvailable ? $"{NvrtcCompiler.Version} ({Cuda.NvrtcLibrary})" : "unavailable: " + Cuda.NvrtcUnavailableReason)}");
        writer.WriteLine($"Kernel cache   {KernelCache.DefaultDirectory}");
        if (!Cuda.IsDriverAvailable)
        {
            writer.WriteLine($"Device         unavailable: {Cuda.DriverUnavailableReason}");
            return true;
        }

        CudaDevice device = CudaDevice.Default;
        writer.WriteLine(
            $"Device         {device.Name}: {device.MultiprocessorCount} SMs, compute capability {device.ComputeCapabilityMajor}.{device.ComputeCapabilityMinor} ({device.Architecture}), "
            + $"{device.TotalMemoryBytes / (1L << 30)} GiB, shared memory {device.MaxSharedMemoryPerBlock / 1024} KB/block "
            + $"({device.MaxSharedMemoryPerBlockOptin / 1024} KB opt-in, {device.MaxSharedMemoryPerMultiprocessor / 1024} KB/SM), L2 {device.L2CacheBytes / (1 << 20)} MiB");
        if (!Cuda.IsNvrtcAvailable)
        {
            writer.WriteLine("Probe kernel   skipped: NVRTC is unavailable");
            return true;
        }

        return WriteProbeKernel(writer, device);
    }

    private static bool WriteProbeKernel(TextWriter writer, CudaDevice device)
    {
        const int N = 1 << 24;
        const float A = 0.75f;
        const int Iterations = 20;
        KernelCache cache = KernelCache.Default;
        var compileClock = Stopwatch.StartNew();
        NvrtcCompilation compilation = cache.GetOrCompile(ProbeKernelSource, "probe_axpy.cu", device.Architecture);
        compileClock.Stop();
        using CudaModule module = CudaModule.Load(device, compilation);
        CudaKernel kernel = module.GetKernel("probe_axpy");

        var random = new Random(42);
        float[] x = Enumerable.Range(0, N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] y = Enumerable.Range(0, N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        using var stream = new CudaStream(device);
        using var xDevice = new DeviceBuffer<float>(device, N);
        using var yDevice = new DeviceBuffer<float>(device, N);
        using var output = new DeviceBuffer<float>(device, N);
        xDevice.CopyFromAsync(x, stream);
        yDevice.CopyFromAsync(y, stream);
        output.CopyFromAsync(Enumerable.Repeat(float.NaN, N).ToArray(), stream);

        var args = new KernelArguments();
        args.Add(output);
        args.Add(xDevice);
        args.Add(yDevice);
        args.Add(A);
        args.Add(N);
        using var start = new CudaEvent(device);
        using var end = new CudaEvent(device);
        kernel.Launch(N / 256, 256, 0, stream, args);
        start.Record(stream);
        for (int i = 0; i < Iterations; i++)
        {
            kernel.Launch(N / 256, 256, 0, stream, args);
        }

        end.Record(stream);
        float[] result = new float[N];
        output.CopyToAsync(result, stream);
        stream.Synchronize();
        double milliseconds = CudaEvent.ElapsedMilliseconds(start, end) / Iterations;

        int wrong = 0;
        for (int i = 0; i < N; i++)
        {
            if (result[i] != MathF.FusedMultiplyAdd(A, x[i], y[i]))
            {
                wrong++;
            }
        }

        double gigabytesPerSecond = 3.0 * N * sizeof(float) / (milliseconds * 1e-3) / 1e9;
        string source = cache.CompileCount > 0 ? $"compiled in {compileClock.Elapsed.TotalMilliseconds:F0} ms" : $"from disk cache in {compileClock.Elapsed.TotalMilliseconds:F0} ms";
        writer.WriteLine($"Probe kernel   {kernel.Name} {(compilation.IsCubin ? "CUBIN" : "PTX")} for {device.Architecture}, {source}; {kernel.RegisterCount} registers, {kernel.LocalBytesPerThread} B local/thread");
        writer.WriteLine(
            $"               {N:N0} elements, NaN-poisoned output: {(wrong == 0 ? "all correct (bitwise equal to FMA)" : $"{wrong:N0} WRONG")}; "
            + $"{milliseconds * 1e3:F1} µs/launch (mean of {Iterations}, events), {gigabytesPerSecond:F0} GB/s effective");
        return wrong == 0;
    }

    private static string DriverLine()
    {
        int version = Cuda.DriverVersion;
        if (version == 0)
        {
            return "not loaded (see Device)";
        }

        string text = $"CUDA {version / 1000}.{version % 1000 / 10} ({Cuda.DriverLibrary})";
        return Cuda.IsDriverAvailable ? $"{text}, {Cuda.DeviceCount} device(s)" : $"{text}; unavailable: {Cuda.DriverUnavailableReason}";
    }

    private static string CpuModel()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string YesNo(bool value) => value ? "accelerated" : "not accelerated";
}
