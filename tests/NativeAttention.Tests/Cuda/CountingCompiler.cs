using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace NativeAttention.Tests.CudaRuntime;

/// <summary>
/// A <see cref="KernelCompiler"/> stand-in that needs no NVRTC: its "image" is derived from every input, so a test
/// can tell which inputs produced a result, and it counts its calls.
/// </summary>
internal sealed class CountingCompiler(TimeSpan delay = default, bool isCubin = true)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public KernelCompiler Compiler => Compile;

    public static byte[] ExpectedImage(string source, string arch, IReadOnlyList<string> options) =>
        Encoding.UTF8.GetBytes($"image|{arch}|{string.Join(",", options)}|{source}");

    private NvrtcCompilation Compile(string source, string programName, string arch, IReadOnlyList<string> options)
    {
        Interlocked.Increment(ref _calls);
        if (delay > TimeSpan.Zero)
        {
            Thread.Sleep(delay);
        }

        return new NvrtcCompilation(ExpectedImage(source, arch, options), isCubin, $"log of {programName}: 0 warnings");
    }
}
