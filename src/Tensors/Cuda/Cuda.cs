using System;
using NativeAttention.Interop;

namespace NativeAttention;

/// <summary>
/// Whether this process can use a CUDA GPU and NVRTC, and why not. Probing never throws: on a machine without a
/// driver, without a device or without NVRTC the properties say so and the reason names what is missing.
/// </summary>
public static class Cuda
{
    private static readonly Lazy<DriverState> s_driver = new(ProbeDriver);
    private static readonly Lazy<NvrtcState> s_nvrtc = new(ProbeNvrtc);

    /// <summary>Gets whether the CUDA driver loaded, <c>cuInit</c> succeeded, at least one device exists and NVRTC loaded.</summary>
    public static bool IsAvailable => UnavailableReason is null;

    /// <summary>Gets why <see cref="IsAvailable"/> is false, or null when CUDA is usable.</summary>
    public static string? UnavailableReason => s_driver.Value.FailureReason ?? s_nvrtc.Value.FailureReason;

    /// <summary>Gets whether the driver loaded, initialized and reports at least one device (NVRTC not required).</summary>
    public static bool IsDriverAvailable => s_driver.Value.FailureReason is null;

    /// <summary>Gets why <see cref="IsDriverAvailable"/> is false, or null when the driver and a device are usable.</summary>
    public static string? DriverUnavailableReason => s_driver.Value.FailureReason;

    /// <summary>Gets whether NVRTC loaded and answered <c>nvrtcVersion</c> (a GPU is not required).</summary>
    public static bool IsNvrtcAvailable => s_nvrtc.Value.FailureReason is null;

    /// <summary>Gets why <see cref="IsNvrtcAvailable"/> is false, or null when NVRTC is usable.</summary>
    public static string? NvrtcUnavailableReason => s_nvrtc.Value.FailureReason;

    /// <summary>Gets the driver's CUDA version as reported by <c>cuDriverGetVersion</c> (e.g. 13000 for 13.0), or 0 when no driver loaded.</summary>
    public static int DriverVersion => s_driver.Value.Version;

    /// <summary>Gets the number of CUDA devices, or 0 when the driver is unavailable.</summary>
    public static int DeviceCount => s_driver.Value.DeviceCount;

    /// <summary>Gets the library file that provided the driver, or null when none loaded.</summary>
    public static string? DriverLibrary => NativeLibraries.DriverSource;

    /// <summary>Gets the library file that provided NVRTC, or null when none loaded.</summary>
    public static string? NvrtcLibrary => NativeLibraries.NvrtcSource;

    /// <summary>Gets the NVRTC version, or null when NVRTC is unavailable.</summary>
    internal static Version? NvrtcVersion => s_nvrtc.Value.Version;

    /// <summary>Throws <see cref="InvalidOperationException"/> with the reason when the driver or a device is missing.</summary>
    internal static void EnsureDriver()
    {
        if (s_driver.Value.FailureReason is { } reason)
        {
            throw new InvalidOperationException($"CUDA is not available: {reason}");
        }
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with the reason when NVRTC is missing.</summary>
    internal static void EnsureNvrtc()
    {
        if (s_nvrtc.Value.FailureReason is { } reason)
        {
            throw new InvalidOperationException($"NVRTC is not available: {reason}");
        }
    }

    private static unsafe DriverState ProbeDriver()
    {
        if (!NativeLibraries.TryLoadDriver(out string? loadFailure))
        {
            return new DriverState($"no CUDA driver: {loadFailure}", 0, 0);
        }

        int version = 0;
        if (CudaDriverApi.cuDriverGetVersion(&version) != CudaDriverApi.Success)
        {
            version = 0;
        }

        int init = CudaDriverApi.cuInit(0);
        if (init != CudaDriverApi.Success)
        {
            return new DriverState($"cuInit failed: {CudaException.Create(init, "cuInit").Message}", version, 0);
        }

        int count = 0;
        int counted = CudaDriverApi.cuDeviceGetCount(&count);
        if (counted != CudaDriverApi.Success)
        {
            return new DriverState($"cuDeviceGetCount failed: {CudaException.Create(counted, "cuDeviceGetCount").Message}", version, 0);
        }

        return count == 0
            ? new DriverState("no CUDA device: the driver loaded and initialized but reports 0 devices.", version, 0)
            : new DriverState(null, version, count);
    }

    private static unsafe NvrtcState ProbeNvrtc()
    {
        if (!NativeLibraries.TryLoadNvrtc(out string? loadFailure))
        {
            return new NvrtcState($"no NVRTC: {loadFailure}", null);
        }

        int major = 0;
        int minor = 0;
        int result = NvrtcApi.nvrtcVersion(&major, &minor);
        return result == NvrtcApi.Success
            ? new NvrtcState(null, new Version(major, minor))
            : new NvrtcState($"nvrtcVersion failed with code {result}.", null);
    }

    private sealed record DriverState(string? FailureReason, int Version, int DeviceCount);

    private sealed record NvrtcState(string? FailureReason, Version? Version);
}
