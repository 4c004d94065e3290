using System;
using System.IO;
using System.Reflection;
using Xunit;

namespace NativeAttention.Tests.Tensors;

/// <summary>
/// A plain build puts ReadyToRun images of the two libraries, compiled for this host, into the output folder (see
/// Directory.Build.targets), so a new process's first GPU call runs precompiled code instead of waiting for the JIT.
/// </summary>
public sealed class ReadyToRunBuildTests
{
    public static TheoryData<string> Libraries => new() { "NativeAttention.Tensors", "NativeAttention" };

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TheLibraryNextToTheTestsIsPrecompiledForThisHost(string name)
    {
        string host = ReadyToRunImage.HostRid();
        Assert.SkipUnless(host is "linux-x64" or "win-x64", $"The build precompiles for linux-x64 and win-x64 only; this host is {host}.");
        Assembly assembly = name == "NativeAttention" ? typeof(AttentionOptions).Assembly : typeof(KernelCache).Assembly;

        using FileStream file = File.OpenRead(assembly.Location);

        Assert.Equal(name, assembly.GetName().Name);
        Assert.Equal(host, ReadyToRunImage.TargetOf(file));
    }

    [Fact]
    public void TheTestAssemblyItselfIsIntermediateLanguage()
    {
        // The reader must tell the two kinds apart, or the test above would prove nothing.
        using FileStream file = File.OpenRead(typeof(ReadyToRunBuildTests).Assembly.Location);

        Assert.Null(ReadyToRunImage.TargetOf(file));
    }
}
