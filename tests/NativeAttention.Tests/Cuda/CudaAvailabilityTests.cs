using System;
using Xunit;

namespace NativeAttention.Tests.CudaRuntime;

public sealed class CudaAvailabilityTests
{
    [Fact]
    public void AvailabilityIsReportedWithoutThrowingAndAlwaysExplained()
    {
        bool available = Cuda.IsAvailable;

        Assert.Equal(available, Cuda.UnavailableReason is null);
        Assert.Equal(Cuda.IsDriverAvailable, Cuda.DriverUnavailableReason is null);
        Assert.Equal(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason is null);
        Assert.Equal(available, Cuda.IsDriverAvailable && Cuda.IsNvrtcAvailable);
        Assert.Equal(Cuda.IsDriverAvailable, Cuda.DeviceCount > 0);
    }

    [Fact]
    public void GettingADeviceWithoutCudaThrowsTheReason()
    {
        Assert.SkipWhen(Cuda.IsDriverAvailable, "a CUDA device is present");

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => CudaDevice.Default);

        Assert.Contains(Cuda.DriverUnavailableReason!, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sm_90", true)]
    [InlineData("sm_90a", true)]
    [InlineData("sm_100f", true)]
    [InlineData("compute_80", false)]
    public void ArchitecturesMapToCubinOrPtx(string arch, bool isCubin)
    {
        Assert.Equal(isCubin, NvrtcCompiler.ParseArch(arch));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sm90")]
    [InlineData("SM_90")]
    [InlineData("sm_90b")]
    [InlineData("lto_90")]
    public void AnUnknownArchitectureIsRejectedBeforeNvrtc(string arch)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => NvrtcCompiler.Compile("", "k.cu", arch));

        Assert.Equal("arch", error.ParamName);
        Assert.Contains($"actual '{arch}'", error.Message, StringComparison.Ordinal);
    }
}
