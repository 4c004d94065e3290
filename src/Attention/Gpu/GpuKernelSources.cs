using System;
using System.Collections.Concurrent;
using System.IO;
using System.Text;

namespace NativeAttention;

/// <summary>The native kernel templates embedded in this assembly (logical names <c>NativeAttention.Native.&lt;file&gt;</c>).</summary>
internal static class GpuKernelSources
{
    /// <summary>The first piece of every unit: 16-bit helpers, mma, ldmatrix, cp.async.</summary>
    public const string CommonFile = "na_common.cuh";

    /// <summary>The third piece of every unit: the by-value parameter structs.</summary>
    public const string ParamsFile = "na_params.cuh";

    private const string ResourcePrefix = "NativeAttention.Native.";
    private static readonly ConcurrentDictionary<string, string> s_texts = new(StringComparer.Ordinal);

    /// <summary>Gets the kernel files that end a unit of <paramref name="template"/>, in order.</summary>
    /// <remarks>
    /// The forward unit carries the run-time tile classifier too: a masked spec's first call then reads and loads one
    /// module instead of two.
    /// </remarks>
    public static string[] KernelFiles(GpuKernelTemplate template) => template switch
    {
        GpuKernelTemplate.FlashForward => ["na_flash_forward.cu", "na_classify_tiles.cu"],
        GpuKernelTemplate.Decode => ["na_decode.cu"],
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, "Expected a defined GpuKernelTemplate."),
    };

    /// <summary>Gets the text of an embedded native file, e.g. <c>na_common.cuh</c>.</summary>
    public static string Read(string file) => s_texts.GetOrAdd(file, Load);

    private static string Load(string file)
    {
        using Stream stream = typeof(GpuKernelSources).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException(
                $"Expected the embedded resource '{ResourcePrefix}{file}' in {typeof(GpuKernelSources).Assembly.GetName().Name}; it is missing (see the EmbeddedResource item in NativeAttention.csproj).");
        // Bytes straight to UTF-8: a StreamReader's first use costs milliseconds of a process's first kernel call.
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
