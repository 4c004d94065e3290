using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NativeAttention.Interop;

/// <summary>
/// The single place that finds the CUDA driver and NVRTC. Interop declarations name the logical libraries
/// <see cref="CudaDriver"/> and <see cref="Nvrtc"/>; the resolver registered here maps them to the first versioned
/// file that loads, or to the path in an environment override.
/// </summary>
internal static class NativeLibraries
{
    /// <summary>Logical name of the CUDA driver library in <c>LibraryImport</c> declarations.</summary>
    internal const string CudaDriver = "nativeattention-cuda-driver";

    /// <summary>Logical name of the NVRTC library in <c>LibraryImport</c> declarations.</summary>
    internal const string Nvrtc = "nativeattention-nvrtc";

    /// <summary>Environment variable holding an explicit path to the CUDA driver library.</summary>
    internal const string CudaDriverPathVariable = "NATIVEATTENTION_CUDA_DRIVER_PATH";

    /// <summary>Environment variable holding an explicit path to the NVRTC library.</summary>
    internal const string NvrtcPathVariable = "NATIVEATTENTION_NVRTC_PATH";

    private static readonly Lazy<LoadedLibrary> s_driver = new(() => Load(CudaDriverPathVariable, DriverCandidates()));
    private static readonly Lazy<LoadedLibrary> s_nvrtc = new(() => Load(NvrtcPathVariable, NvrtcCandidates()));

    static NativeLibraries()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    /// <summary>Loads the CUDA driver library once; returns false with a reason when no candidate loads.</summary>
    internal static bool TryLoadDriver(out string? failureReason) => TryGet(s_driver.Value, out failureReason);

    /// <summary>Loads the NVRTC library once; returns false with a reason when no candidate loads.</summary>
    internal static bool TryLoadNvrtc(out string? failureReason) => TryGet(s_nvrtc.Value, out failureReason);

    /// <summary>The file that provided the CUDA driver, or null when it did not load.</summary>
    internal static string? DriverSource => s_driver.Value.Source;

    /// <summary>The file that provided NVRTC, or null when it did not load.</summary>
    internal static string? NvrtcSource => s_nvrtc.Value.Source;

    private static bool TryGet(LoadedLibrary library, out string? failureReason)
    {
        failureReason = library.FailureReason;
        return library.Handle != 0;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName switch
    {
        CudaDriver => s_driver.Value.Handle,
        Nvrtc => s_nvrtc.Value.Handle,
        _ => 0,
    };

    private static IReadOnlyList<string> DriverCandidates() =>
        OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1"];

    private static IReadOnlyList<string> NvrtcCandidates() =>
        OperatingSystem.IsWindows()
            ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
            : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"];

    /// <summary>Loads the file named by <paramref name="overrideVariable"/> if it is set (and nothing else), else the first candidate that loads.</summary>
    internal static LoadedLibrary Load(string overrideVariable, IReadOnlyList<string> candidates)
    {
        string? overridePath = Environment.GetEnvironmentVariable(overrideVariable);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            if (NativeLibrary.TryLoad(overridePath, out nint overridden))
            {
                return new LoadedLibrary(overridden, overridePath, null);
            }

            string why = File.Exists(overridePath) ? "the file exists but did not load" : "no such file";
            return new LoadedLibrary(0, null, $"{overrideVariable}='{overridePath}' could not be loaded ({why}).");
        }

        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, typeof(NativeLibraries).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.System32, out nint handle)
                || NativeLibrary.TryLoad(candidate, out handle))
            {
                return new LoadedLibrary(handle, candidate, null);
            }
        }

        return new LoadedLibrary(0, null, $"none of {string.Join(", ", candidates)} could be loaded (set {overrideVariable} to a full path to override).");
    }

    /// <summary>A loaded library (handle and the name or path that loaded) or the reason none loaded.</summary>
    internal sealed record LoadedLibrary(nint Handle, string? Source, string? FailureReason);
}
