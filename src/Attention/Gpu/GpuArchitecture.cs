using System;
using System.Globalization;

namespace NativeAttention;

/// <summary>Picks the NVRTC target for a device: a CUBIN for its exact architecture wherever NVRTC knows it.</summary>
internal static class GpuArchitecture
{
    /// <summary>
    /// Returns "sm_90a" for compute capability 9.0 with NVRTC 12 or newer (the arch-specific features need it),
    /// "sm_XY" when NVRTC knows the device's architecture, and otherwise "compute_XY" PTX of the newest architecture
    /// this NVRTC knows, which the driver JIT-compiles at load.
    /// </summary>
    /// <param name="major">The device's major compute capability.</param>
    /// <param name="minor">The device's minor compute capability.</param>
    /// <param name="nvrtc">The NVRTC version.</param>
    /// <returns>The value for NVRTC's <c>--gpu-architecture</c>.</returns>
    public static string Select(int major, int minor, Version nvrtc)
    {
        ArgumentNullException.ThrowIfNull(nvrtc);
        int device = (major * 10) + minor;
        if (device < 80)
        {
            throw new NotSupportedException(
                $"GPU attention kernels need compute capability 8.0 or newer (mma.sync bf16, cp.async); actual {major}.{minor}.");
        }

        int newest = NewestKnown(nvrtc);
        if (device > newest)
        {
            return string.Create(CultureInfo.InvariantCulture, $"compute_{newest}");
        }

        return device == 90 && nvrtc.Major >= 12
            ? "sm_90a"
            : string.Create(CultureInfo.InvariantCulture, $"sm_{device}");
    }

    /// <summary>Returns the target for <paramref name="device"/> with the loaded NVRTC.</summary>
    public static string Select(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Select(device.ComputeCapabilityMajor, device.ComputeCapabilityMinor, NvrtcCompiler.Version);
    }

    private static int NewestKnown(Version nvrtc) => nvrtc switch
    {
        { Major: >= 13 } => 121,
        { Major: 12, Minor: >= 9 } => 121,
        { Major: 12, Minor: 8 } => 120,
        { Major: 12 } => 90,
        { Major: 11, Minor: >= 8 } => 90,
        { Major: 11, Minor: >= 1 } => 86,
        _ => 80,
    };
}
