using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// Packs NativeAttention (with its generator under analyzers/dotnet/cs) and NativeAttention.Tensors to a temporary
/// folder, then builds and runs tests/Consumer against those packages with the dotnet SDK: a user's own spec must be
/// generated, compile (AllowUnsafeBlocks from the package props) and match a direct computation.
/// </summary>
[Trait("Category", "Consumer")]
public sealed class ConsumerTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void ConsumerProjectBuildsAndRunsAgainstThePackages()
    {
        string? dotnet = FindOnPath(OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        Assert.SkipWhen(dotnet is null, "No dotnet SDK on PATH.");
        string root = RepositoryRoot();
        DirectoryInfo work = Directory.CreateTempSubdirectory("nativeattention-consumer-");
        try
        {
            string consumer = Path.Combine(work.FullName, "Consumer");
            string packages = Path.Combine(consumer, "packages");
            CopyProject(Path.Combine(root, "tests", "Consumer"), consumer);

            Run(dotnet!, root, "pack", "src/Tensors/NativeAttention.Tensors.csproj", "-c", "Release", "-o", packages);
            Run(dotnet!, root, "pack", "src/Attention/NativeAttention.csproj", "-c", "Release", "-o", packages);
            AssertPackageLayout(Path.Combine(packages, "NativeAttention.0.1.0.nupkg"));
            AssertReadyToRunLayout(Path.Combine(packages, "NativeAttention.0.1.0.nupkg"), "NativeAttention.dll");
            AssertReadyToRunLayout(Path.Combine(packages, "NativeAttention.Tensors.0.1.0.nupkg"), "NativeAttention.Tensors.dll");

            var restore = new List<string> { "-p:RestorePackagesPath=" + Path.Combine(work.FullName, "nuget-cache") };
            string userCache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            if (Directory.Exists(userCache))
            {
                // Packages already downloaded on this machine restore offline; nuget.org serves the rest.
                restore.Add("-p:RestoreFallbackFolders=" + userCache);
            }

            Run(dotnet!, consumer, ["build", "Consumer.csproj", "-c", "Release", .. restore]);
            string host = Tensors.ReadyToRunImage.HostRid();
            if (host is "linux-x64" or "win-x64")
            {
                // A RID-less app gets every image under runtimes/ and its deps.json lets the host load the one for this machine.
                string image = Path.Combine(consumer, "bin", "Release", "net10.0", "runtimes", host, "lib", "net10.0", "NativeAttention.dll");
                Assert.True(File.Exists(image), $"Expected the consumer's build to carry {image}.");
                Assert.Contains($"runtimes/{host}/lib/net10.0/NativeAttention.dll", File.ReadAllText(Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.deps.json")), StringComparison.Ordinal);
            }

            string output = Run(dotnet!, consumer, "bin/Release/net10.0/Consumer.dll");
            Assert.Contains("NativeAttention consumer OK", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void AssertPackageLayout(string package)
    {
        using ZipArchive archive = ZipFile.OpenRead(package);
        var entries = archive.Entries.Select(entry => entry.FullName).ToHashSet();
        Assert.Contains("analyzers/dotnet/cs/NativeAttention.Generators.dll", entries);
        Assert.Contains("build/NativeAttention.props", entries);
        Assert.Contains("buildTransitive/NativeAttention.props", entries);
        Assert.Contains("lib/net10.0/NativeAttention.dll", entries);
        Assert.DoesNotContain(entries, entry => entry.StartsWith("lib/", StringComparison.Ordinal) && entry.EndsWith("Generators.dll", StringComparison.Ordinal));
    }

    // lib/ holds the IL every platform can run; runtimes/<rid>/lib/ the images the host picks on linux-x64 and win-x64.
    private static void AssertReadyToRunLayout(string package, string assembly)
    {
        using ZipArchive archive = ZipFile.OpenRead(package);
        Assert.Null(TargetOf(archive, "lib/net10.0/" + assembly));
        foreach (string rid in new[] { "linux-x64", "win-x64" })
        {
            Assert.Equal(rid, TargetOf(archive, $"runtimes/{rid}/lib/net10.0/{assembly}"));
        }
    }

    private static string? TargetOf(ZipArchive archive, string entryName)
    {
        ZipArchiveEntry entry = archive.GetEntry(entryName) ?? throw new InvalidOperationException($"The package has no {entryName}.");
        using var copy = new MemoryStream();
        using (Stream stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return Tensors.ReadyToRunImage.TargetOf(copy);
    }

    private static string Run(string dotnet, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under 'dotnet run'; its MSBuild variables would point child builds at the wrong SDK state.
        foreach (string variable in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "MSBUILD_EXE_PATH").ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        var standardError = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string standardOutput = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'dotnet {string.Join(' ', arguments)}' did not finish within {StepTimeout}.");
        }

        string error = standardError.GetAwaiter().GetResult();
        Assert.True(process.ExitCode == 0, $"'dotnet {string.Join(' ', arguments)}' in {directory} exited with {process.ExitCode}:\n{standardOutput}\n{error}");
        return standardOutput;
    }

    private static void CopyProject(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NativeAttention.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NativeAttention.sln above {AppContext.BaseDirectory}.");
    }

    private static string? FindOnPath(string executable)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
}
