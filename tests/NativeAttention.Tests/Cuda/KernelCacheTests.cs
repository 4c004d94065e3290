using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace NativeAttention.Tests.CudaRuntime;

public sealed class KernelCacheTests
{
    private const string Source = "extern \"C\" __global__ void k(float* x) { x[threadIdx.x] = 1.0f; }";
    private static readonly string[] Options = ["-std=c++17", "--use_fast_math"];

    [Fact]
    public void ConcurrentRequestsForOneKernelCompileOnce()
    {
        using var directory = new TemporaryDirectory();
        var compiler = new CountingCompiler(TimeSpan.FromMilliseconds(100));
        var cache = new KernelCache(directory.Path, "test-1.0", compiler.Compiler);
        const int Threads = 16;
        using var start = new Barrier(Threads);

        NvrtcCompilation[] results = Enumerable.Range(0, Threads)
            .Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return cache.GetOrCompile(Source, "k.cu", "sm_90", Options);
            }, TaskCreationOptions.LongRunning))
            .ToArray()
            .Select(task => task.GetAwaiter().GetResult())
            .ToArray();

        Assert.Equal(1, compiler.Calls);
        Assert.Equal(1, cache.CompileCount);
        Assert.All(results, result => Assert.Same(results[0], result));
        Assert.Equal(CountingCompiler.ExpectedImage(Source, "sm_90", Options), results[0].Image);
    }

    [Fact]
    public void AFreshCacheServesTheDiskEntryWithoutCompiling()
    {
        using var directory = new TemporaryDirectory();
        var first = new CountingCompiler(isCubin: false);
        NvrtcCompilation compiled = new KernelCache(directory.Path, "test-1.0", first.Compiler).GetOrCompile(Source, "k.cu", "compute_80", Options);

        var second = new CountingCompiler();
        var cache = new KernelCache(directory.Path, "test-1.0", second.Compiler);
        NvrtcCompilation loaded = cache.GetOrCompile(Source, "k.cu", "compute_80", Options);

        Assert.Equal(1, first.Calls);
        Assert.Equal(0, second.Calls);
        Assert.Equal(1, cache.DiskHitCount);
        Assert.Equal(compiled.Image, loaded.Image);
        Assert.False(loaded.IsCubin);
        Assert.Equal(compiled.Log, loaded.Log);
    }

    [Fact]
    public void ATruncatedEntryIsRecompiledAndReplaced()
    {
        using var directory = new TemporaryDirectory();
        string path = WriteEntry(directory.Path);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 7);
        }

        AssertRecompiledThenServedFromDisk(directory.Path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(KernelCacheEntry.HeaderLength + 3)]
    [InlineData(-1)]
    public void AnEntryWithOneFlippedByteIsRecompiled(int position)
    {
        using var directory = new TemporaryDirectory();
        string path = WriteEntry(directory.Path);
        byte[] bytes = File.ReadAllBytes(path);
        int index = position < 0 ? bytes.Length + position : position;
        bytes[index] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        AssertRecompiledThenServedFromDisk(directory.Path);
    }

    [Fact]
    public void AnEmptyOrForeignFileIsRecompiled()
    {
        using var directory = new TemporaryDirectory();
        string path = WriteEntry(directory.Path);
        File.WriteAllBytes(path, []);
        AssertRecompiledThenServedFromDisk(directory.Path);

        string otherKeyPath = WriteEntry(directory.Path, source: Source + " ");
        File.Copy(otherKeyPath, path, overwrite: true);
        AssertRecompiledThenServedFromDisk(directory.Path);
    }

    [Fact]
    public void TheKeyDependsOnEveryInput()
    {
        string baseline = KernelCache.ComputeKey(Source, Options, "sm_90", "12.8");

        Assert.Equal(baseline, KernelCache.ComputeKey(Source, [.. Options], "sm_90", "12.8"));
        Assert.Matches("^[0-9a-f]{64}$", baseline);
        Assert.NotEqual(baseline, KernelCache.ComputeKey(Source + "\n", Options, "sm_90", "12.8"));
        Assert.NotEqual(baseline, KernelCache.ComputeKey(Source, ["-std=c++17"], "sm_90", "12.8"));
        Assert.NotEqual(baseline, KernelCache.ComputeKey(Source, ["--use_fast_math", "-std=c++17"], "sm_90", "12.8"));
        Assert.NotEqual(baseline, KernelCache.ComputeKey(Source, ["-std=c++17--use_fast_math"], "sm_90", "12.8"));
        Assert.NotEqual(baseline, KernelCache.ComputeKey(Source, Options, "sm_90a", "12.8"));
        Assert.NotEqual(baseline, KernelCache.ComputeKey(Source, Options, "compute_90", "12.8"));
        Assert.NotEqual(baseline, KernelCache.ComputeKey(Source, Options, "sm_90", "13.0"));
    }

    [Fact]
    public void EachInputChangeCompilesAgain()
    {
        using var directory = new TemporaryDirectory();
        var compiler = new CountingCompiler();
        var cache = new KernelCache(directory.Path, "12.8", compiler.Compiler);
        cache.GetOrCompile(Source, "k.cu", "sm_90", Options);
        cache.GetOrCompile(Source, "renamed.cu", "sm_90", Options);
        Assert.Equal(1, compiler.Calls);

        cache.GetOrCompile(Source + " ", "k.cu", "sm_90", Options);
        cache.GetOrCompile(Source, "k.cu", "sm_90", ["-std=c++17"]);
        cache.GetOrCompile(Source, "k.cu", "sm_80", Options);
        new KernelCache(directory.Path, "13.0", compiler.Compiler).GetOrCompile(Source, "k.cu", "sm_90", Options);

        Assert.Equal(5, compiler.Calls);
        Assert.Equal(5, Directory.GetFiles(directory.Path, "*.kernel").Length);
    }

    [Fact]
    public void WritesLeaveOnlyCompleteEntriesAndNoTemporaryFiles()
    {
        using var directory = new TemporaryDirectory();
        string key = KernelCache.ComputeKey(Source, Options, "sm_90", "test-1.0");
        File.WriteAllBytes(Path.Combine(directory.Path, key + ".kernel.999.stale.tmp"), [1, 2, 3]);
        const int Writers = 8;
        using var start = new Barrier(Writers);

        NvrtcCompilation[] results = Enumerable.Range(0, Writers)
            .Select(_ => Task.Factory.StartNew(() =>
            {
                var cache = new KernelCache(directory.Path, "test-1.0", new CountingCompiler().Compiler);
                start.SignalAndWait();
                return cache.GetOrCompile(Source, "k.cu", "sm_90", Options);
            }, TaskCreationOptions.LongRunning))
            .ToArray()
            .Select(task => task.GetAwaiter().GetResult())
            .ToArray();

        byte[] expected = CountingCompiler.ExpectedImage(Source, "sm_90", Options);
        Assert.All(results, result => Assert.Equal(expected, result.Image));
        string[] files = Directory.GetFiles(directory.Path).Select(Path.GetFileName).ToArray()!;
        Assert.Equal([key + ".kernel", key + ".kernel.999.stale.tmp"], files.Order().ToArray());
        Assert.True(KernelCacheEntry.TryDeserialize(File.ReadAllBytes(Path.Combine(directory.Path, key + ".kernel")), key, out NvrtcCompilation? onDisk));
        Assert.Equal(expected, onDisk!.Image);
    }

    [Fact]
    public void AFailedCompileIsNotCached()
    {
        int calls = 0;
        var cache = new KernelCache(null, "test-1.0", (source, name, arch, options) =>
            Interlocked.Increment(ref calls) == 1
                ? throw new NvrtcException(6, "NVRTC_ERROR_COMPILATION", "nvrtcCompileProgram", "k.cu(1): error: transient")
                : new NvrtcCompilation([1, 2, 3], true, string.Empty));

        NvrtcException failure = Assert.Throws<NvrtcException>(() => cache.GetOrCompile(Source, "k.cu", "sm_90"));
        Assert.Contains("transient", failure.Log, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], cache.GetOrCompile(Source, "k.cu", "sm_90").Image);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void TheDefaultDirectoryHonoursTheEnvironmentOverride()
    {
        string? previous = Environment.GetEnvironmentVariable(KernelCache.DirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(KernelCache.DirectoryVariable, "/tmp/nativeattention-override");
            Assert.Equal("/tmp/nativeattention-override", KernelCache.DefaultDirectory);
            Environment.SetEnvironmentVariable(KernelCache.DirectoryVariable, null);
            Assert.EndsWith(Path.Combine("NativeAttention", "kernels"), KernelCache.DefaultDirectory, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KernelCache.DirectoryVariable, previous);
        }
    }

    private static string WriteEntry(string directory, string source = Source)
    {
        var cache = new KernelCache(directory, "test-1.0", new CountingCompiler().Compiler);
        cache.GetOrCompile(source, "k.cu", "sm_90", Options);
        return cache.GetEntryPath(KernelCache.ComputeKey(source, Options, "sm_90", "test-1.0"))!;
    }

    private static void AssertRecompiledThenServedFromDisk(string directory)
    {
        var compiler = new CountingCompiler();
        var cache = new KernelCache(directory, "test-1.0", compiler.Compiler);
        NvrtcCompilation result = cache.GetOrCompile(Source, "k.cu", "sm_90", Options);
        Assert.Equal(1, compiler.Calls);
        Assert.Equal(1, cache.RejectedEntryCount);
        Assert.Equal(CountingCompiler.ExpectedImage(Source, "sm_90", Options), result.Image);

        var again = new CountingCompiler();
        var fresh = new KernelCache(directory, "test-1.0", again.Compiler);
        fresh.GetOrCompile(Source, "k.cu", "sm_90", Options);
        Assert.Equal(0, again.Calls);
        Assert.Equal(1, fresh.DiskHitCount);
    }
}
