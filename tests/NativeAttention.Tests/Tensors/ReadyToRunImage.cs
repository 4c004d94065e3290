using System;
using System.IO;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace NativeAttention.Tests.Tensors;

/// <summary>Reads which ReadyToRun target, if any, an assembly file was precompiled for.</summary>
internal static class ReadyToRunImage
{
    /// <summary>
    /// Returns the RID whose native code the image carries ("linux-x64", "win-x64", "osx-arm64", ...), or null for an
    /// IL-only assembly. ReadyToRun images mark their target OS by XOR-ing the COFF machine with a per-OS constant.
    /// </summary>
    public static string? TargetOf(Stream assembly)
    {
        using var reader = new PEReader(assembly, PEStreamOptions.LeaveOpen);
        PEHeaders headers = reader.PEHeaders;
        if (headers.CorHeader is not { } cor || cor.ManagedNativeHeaderDirectory.Size == 0)
        {
            return null;
        }

        ushort machine = (ushort)headers.CoffHeader.Machine;
        foreach ((string os, ushort mask) in new[] { ("win", (ushort)0), ("linux", (ushort)0x7B79), ("osx", (ushort)0x4644), ("freebsd", (ushort)0xADC4) })
        {
            string? arch = (Machine)(machine ^ mask) switch
            {
                Machine.Amd64 => "x64",
                Machine.Arm64 => "arm64",
                Machine.I386 => "x86",
                _ => null,
            };
            if (arch is not null)
            {
                return os + "-" + arch;
            }
        }

        return "unknown";
    }

    /// <summary>Returns the RID of the machine running the tests in the form the build uses ("linux-x64", "win-x64").</summary>
    public static string HostRid()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "other";
        return os + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
    }
}
