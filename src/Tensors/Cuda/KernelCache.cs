using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// Compiled kernels by SHA-256 of (source, options, arch, compiler version), in memory and in a folder on disk.
/// Concurrent requests for one key compile once; disk entries are written atomically (temporary file + rename) and
/// verified on read, so a truncated or corrupt entry is recompiled and replaced, never loaded.
/// </summary>
public sealed class KernelCache
{
    /// <summary>The environment variable that overrides the cache folder.</summary>
    public const string DirectoryVariable = "NATIVEATTENTION_CACHE_DIR";

    private static readonly Lazy<KernelCache> s_default = new(CreateDefault);

    private readonly ConcurrentDictionary<string, Lazy<NvrtcCompilation>> _entries = new(StringComparer.Ordinal);
    private readonly KernelCompiler _compiler;
    private long _compileCount;
    private long _diskHitCount;
    private long _rejectedEntryCount;
    private long _diskWriteFailureCount;

    /// <summary>Creates a cache.</summary>
    /// <param name="directory">The folder for disk entries, or null to cache in memory only.</param>
    /// <param name="compilerVersion">The compiler's version; part of every key so a new compiler never reuses old images.</param>
    /// <param name="compiler">The function called on a miss.</param>
    public KernelCache(string? directory, string compilerVersion, KernelCompiler compiler)
    {
        ArgumentException.ThrowIfNullOrEmpty(compilerVersion);
        ArgumentNullException.ThrowIfNull(compiler);
        Directory = directory is null ? null : Path.GetFullPath(directory);
        CompilerVersion = compilerVersion;
        _compiler = compiler;
    }

    /// <summary>Gets the process-wide cache: NVRTC as compiler, <see cref="DefaultDirectory"/> as folder.</summary>
    public static KernelCache Default => s_default.Value;

    /// <summary>
    /// Gets the default folder: <c>NATIVEATTENTION_CACHE_DIR</c> if set, else <c>XDG_CACHE_HOME</c> or the local
    /// application data folder, followed by NativeAttention/kernels.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrWhiteSpace(overridden))
            {
                return Path.GetFullPath(overridden);
            }

            string? root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrWhiteSpace(root))
            {
                root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            }

            if (string.IsNullOrWhiteSpace(root))
            {
                root = Path.GetTempPath();
            }

            return Path.Combine(root, "NativeAttention", "kernels");
        }
    }

    /// <summary>Gets the folder for disk entries, or null when the cache lives in memory only.</summary>
    public string? Directory { get; }

    /// <summary>Gets the compiler version that is part of every key.</summary>
    public string CompilerVersion { get; }

    /// <summary>Gets how many times the compiler has been called.</summary>
    public long CompileCount => Interlocked.Read(ref _compileCount);

    /// <summary>Gets how many requests were served from a verified disk entry.</summary>
    public long DiskHitCount => Interlocked.Read(ref _diskHitCount);

    /// <summary>Gets how many disk entries were rejected as truncated or corrupt (and then recompiled).</summary>
    public long RejectedEntryCount => Interlocked.Read(ref _rejectedEntryCount);

    /// <summary>Gets how many disk writes failed; the compiled kernel was still returned and kept in memory.</summary>
    public long DiskWriteFailureCount => Interlocked.Read(ref _diskWriteFailureCount);

    /// <summary>Returns the compiled kernel for these inputs, compiling at most once per key and process.</summary>
    /// <param name="source">The CUDA C++ source.</param>
    /// <param name="programName">The name used in diagnostics (not part of the key).</param>
    /// <param name="arch">The target architecture, e.g. "sm_90" or "compute_80".</param>
    /// <param name="options">The compiler options, without the architecture; order matters.</param>
    /// <returns>The image and log.</returns>
    public NvrtcCompilation GetOrCompile(string source, string programName, string arch, IEnumerable<string>? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(programName);
        ArgumentException.ThrowIfNullOrEmpty(arch);
        string[] optionList = CopyOptions(options);
        string key = ComputeKey(source, optionList, arch, CompilerVersion);
        Lazy<NvrtcCompilation> entry = _entries.GetOrAdd(
            key,
            k => new Lazy<NvrtcCompilation>(() => LoadOrCompile(k, source, programName, arch, optionList), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Lazy<NvrtcCompilation>>(key, entry));
            throw;
        }
    }

    /// <summary>Computes the cache key: SHA-256 over the length-prefixed UTF-8 of each input, as 64 lowercase hex digits.</summary>
    /// <param name="source">The CUDA C++ source.</param>
    /// <param name="options">The compiler options in order.</param>
    /// <param name="arch">The target architecture.</param>
    /// <param name="compilerVersion">The compiler version.</param>
    /// <returns>The key.</returns>
    public static string ComputeKey(string source, IReadOnlyList<string> options, string arch, string compilerVersion)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentNullException.ThrowIfNull(compilerVersion);
        Span<byte> key = stackalloc byte[KernelCacheSha256.HashLength];
        KernelCacheKey.Compute(source, options, arch, compilerVersion, key);
        return KernelCacheKey.ToText(key);
    }

    /// <summary>Gets the disk path of an entry, or null for a memory-only cache.</summary>
    internal string? GetEntryPath(string key) => Directory is null ? null : Path.Combine(Directory, key + ".kernel");

    private NvrtcCompilation LoadOrCompile(string key, string source, string programName, string arch, string[] options)
    {
        string? path = GetEntryPath(key);
        if (path is not null && TryRead(path, key) is { } cached)
        {
            Interlocked.Increment(ref _diskHitCount);
            return cached;
        }

        Interlocked.Increment(ref _compileCount);
        NvrtcCompilation compilation = _compiler(source, programName, arch, options);
        if (path is not null)
        {
            try
            {
                KernelCacheEntry.WriteAtomically(path, KernelCacheEntry.Serialize(key, compilation));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _diskWriteFailureCount);
            }
        }

        return compilation;
    }

    private NvrtcCompilation? TryRead(string path, string key)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (KernelCacheEntry.TryDeserialize(bytes, key, out NvrtcCompilation? compilation))
        {
            return compilation;
        }

        Interlocked.Increment(ref _rejectedEntryCount);
        return null;
    }

    // A private copy, so a caller that reuses its array cannot change what a pending compile sees; arrays (what the
    // library passes) are copied directly rather than through LINQ's ToArray, which a first call would pay for.
    private static string[] CopyOptions(IEnumerable<string>? options)
    {
        switch (options)
        {
            case null:
                return [];
            case string[] array:
                return array.AsSpan().ToArray();
            default:
                var list = new List<string>(options);
                return list.ToArray();
        }
    }

    private static KernelCache CreateDefault()
    {
        string version = Cuda.IsNvrtcAvailable ? "nvrtc-" + NvrtcCompiler.Version : "nvrtc-unavailable";
        return new KernelCache(DefaultDirectory, version, (source, name, arch, options) => NvrtcCompiler.Compile(source, name, arch, options));
    }
}
