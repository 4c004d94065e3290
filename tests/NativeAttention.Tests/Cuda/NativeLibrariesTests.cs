using System;
using System.IO;
using NativeAttention.Interop;
using Xunit;

namespace NativeAttention.Tests.CudaRuntime;

public sealed class NativeLibrariesTests
{
    private const string Variable = "NATIVEATTENTION_TEST_LIBRARY_PATH";

    [Fact]
    public void AnOverridePathIsUsedInsteadOfTheCandidates()
    {
        const string Nvrtc = "/usr/lib/x86_64-linux-gnu/libnvrtc.so.11.2";
        Assert.SkipUnless(File.Exists(Nvrtc), $"{Nvrtc} is not installed");

        NativeLibraries.LoadedLibrary library = WithVariable(Nvrtc, () => NativeLibraries.Load(Variable, ["libdoes-not-exist.so.1"]));

        Assert.NotEqual(0, library.Handle);
        Assert.Equal(Nvrtc, library.Source);
    }

    [Fact]
    public void AMissingOverrideFailsWithoutFallingBack()
    {
        NativeLibraries.LoadedLibrary library = WithVariable("/no/such/libcuda.so.1", () => NativeLibraries.Load(Variable, ["libc.so.6"]));

        Assert.Equal(0, library.Handle);
        Assert.Contains($"{Variable}='/no/such/libcuda.so.1'", library.FailureReason, StringComparison.Ordinal);
        Assert.Contains("no such file", library.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnOverrideTheFirstLoadableCandidateWins()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses Linux library names");

        NativeLibraries.LoadedLibrary found = WithVariable(null, () => NativeLibraries.Load(Variable, ["libdoes-not-exist.so.13", "libc.so.6", "libm.so.6"]));
        NativeLibraries.LoadedLibrary missing = WithVariable(null, () => NativeLibraries.Load(Variable, ["libdoes-not-exist.so.13", "libdoes-not-exist.so.12"]));

        Assert.Equal("libc.so.6", found.Source);
        Assert.Equal(0, missing.Handle);
        Assert.Contains("none of libdoes-not-exist.so.13, libdoes-not-exist.so.12 could be loaded", missing.FailureReason, StringComparison.Ordinal);
        Assert.Contains(Variable, missing.FailureReason, StringComparison.Ordinal);
    }

    private static T WithVariable<T>(string? value, Func<T> action)
    {
        Environment.SetEnvironmentVariable(Variable, value);
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }
}
