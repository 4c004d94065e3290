using System;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// The generated CudaSource is part of every kernel cache key and ships inside the assembly, so the same spec text must
/// give the same CudaSource wherever the spec file was checked out (no build machine's folders in it).
/// </summary>
public sealed class CudaSourcePathTests
{
    public static TheoryData<string, string> PathPairs => new()
    {
        { "/home/alice/work/repo/src/Specs/Kitchen.cs", "/builds/agent-7/checkout/src/Specs/Kitchen.cs" },
        { "/home/alice/work/repo/src/Specs/Kitchen.cs", @"C:\agent\_work\1\s\src\Specs\Kitchen.cs" },
        { "Kitchen.cs", "/tmp/x/Kitchen.cs" },
    };

    [Theory]
    [MemberData(nameof(PathPairs))]
    public void TheSameSpecTextGivesTheSameCudaSourceFromAnyFolder(string firstPath, string secondPath)
    {
        string first = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run((firstPath, Samples.Kitchen)));
        string second = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run((secondPath, Samples.Kitchen)));

        Assert.Contains("#line ", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal(
            KernelCache.ComputeKey(first, ["-std=c++17"], "sm_90a", "nvrtc-13.0"),
            KernelCache.ComputeKey(second, ["-std=c++17"], "sm_90a", "nvrtc-13.0"));
    }

    [Fact]
    public void LineDirectivesNameTheSpecFileWithoutItsFolder()
    {
        string cuda = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run((@"C:\agent\_work\1\s\src\Specs\Kitchen.cs", Samples.Kitchen)));

        foreach (string line in cuda.Split('\n'))
        {
            if (line.StartsWith("#line ", StringComparison.Ordinal))
            {
                Assert.Matches("^#line [0-9]+ \"Kitchen\\.cs\"$", line);
            }
        }

        Assert.DoesNotContain("agent", cuda, StringComparison.Ordinal);
        Assert.DoesNotContain("Specs", cuda, StringComparison.Ordinal);
    }

    [Fact]
    public void ADifferentFileNameStillChangesTheCudaSource()
    {
        // The name is kept on purpose (NVRTC's errors point at it); only the folder is dropped.
        string first = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run(("/repo/Specs/Kitchen.cs", Samples.Kitchen)));
        string second = CudaSourceTests.CudaSourceOf(GeneratorHarness.Run(("/repo/Specs/KitchenCopy.cs", Samples.Kitchen)));

        Assert.NotEqual(first, second);
    }
}
