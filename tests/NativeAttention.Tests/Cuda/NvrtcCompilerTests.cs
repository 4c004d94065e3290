using System;
using System.IO;
using System.Text;
using Xunit;

namespace NativeAttention.Tests.CudaRuntime;

[Trait("Category", "Nvrtc")]
public sealed class NvrtcCompilerTests
{
    [Fact]
    public void AGoodKernelCompilesToPtxForAVirtualArchitecture()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);

        NvrtcCompilation compilation = NvrtcCompiler.Compile(TestKernels.Saxpy, "saxpy.cu", "compute_80", ["-std=c++17"]);

        Assert.False(compilation.IsCubin);
        string ptx = Encoding.UTF8.GetString(compilation.Image);
        Assert.Contains(".target sm_80", ptx, StringComparison.Ordinal);
        Assert.Contains(".entry saxpy(", ptx, StringComparison.Ordinal);
        Assert.Contains("fma.rn.f32", ptx, StringComparison.Ordinal);
        Assert.NotEqual(0, compilation.Image[^1]);
    }

    [Fact]
    public void AGoodKernelCompilesToCubinForARealArchitecture()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);

        NvrtcCompilation compilation = NvrtcCompiler.Compile(TestKernels.Saxpy, "saxpy.cu", "sm_80");

        Assert.True(compilation.IsCubin);
        Assert.Equal("\u007fELF"u8.ToArray(), compilation.Image[..4]);
    }

    [Fact]
    public void ABadKernelRaisesAnExceptionHoldingTheLog()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);

        NvrtcException error = Assert.Throws<NvrtcException>(() => NvrtcCompiler.Compile(TestKernels.SyntaxError, "broken.cu", "compute_80"));

        Assert.Equal(6, error.ErrorCode);
        Assert.Equal("NVRTC_ERROR_COMPILATION", error.ErrorDescription);
        Assert.Contains("broken.cu(3)", error.Log, StringComparison.Ordinal);
        Assert.Contains("undeclared_identifier_xyz", error.Log, StringComparison.Ordinal);
        Assert.Contains(error.Log, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownOptionIsAnNvrtcError()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);

        NvrtcException error = Assert.Throws<NvrtcException>(() => NvrtcCompiler.Compile(TestKernels.Saxpy, "saxpy.cu", "compute_80", ["--no-such-option"]));

        Assert.NotEqual(0, error.ErrorCode);
        Assert.False(string.IsNullOrEmpty(error.ErrorDescription));
    }

    [Fact]
    public void TheVersionIsAtLeast11Point2()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);

        Assert.True(NvrtcCompiler.Version >= new Version(11, 2), $"NVRTC {NvrtcCompiler.Version}");
    }

    [Fact]
    public void TheCacheCompilesWithNvrtcOnceAndThenReadsTheDisk()
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        using var directory = new TemporaryDirectory();
        string version = NvrtcCompiler.Version.ToString();
        int compiles = 0;
        NvrtcCompilation Compile(string source, string name, string arch, System.Collections.Generic.IReadOnlyList<string> options)
        {
            compiles++;
            return NvrtcCompiler.Compile(source, name, arch, options);
        }

        NvrtcCompilation first = new KernelCache(directory.Path, version, Compile).GetOrCompile(TestKernels.Saxpy, "saxpy.cu", "compute_80");
        NvrtcCompilation second = new KernelCache(directory.Path, version, Compile).GetOrCompile(TestKernels.Saxpy, "saxpy.cu", "compute_80");

        Assert.Equal(1, compiles);
        Assert.Equal(first.Image, second.Image);
        Assert.Single(Directory.GetFiles(directory.Path));
    }
}
