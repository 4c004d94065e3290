using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// Compares the generated code of every sample with its snapshot under Generators/Snapshots. Set
/// NATIVEATTENTION_UPDATE_SNAPSHOTS=1 to re-record the snapshots in the source tree.
/// </summary>
public sealed class SnapshotTests
{
    public const string UpdateVariable = "NATIVEATTENTION_UPDATE_SNAPSHOTS";

    public static TheoryData<string> SampleNames => new(Samples.All.Select(sample => sample.Name));

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void GeneratedCodeMatchesSnapshot(string name)
    {
        string source = Samples.All.Single(sample => sample.Name == name).Source;
        GeneratorOutcome outcome = GeneratorHarness.Run(($"Samples/{name}.cs", source));
        Assert.Empty(outcome.Diagnostics);
        GeneratedSourceResult generated = Assert.Single(outcome.Result.GeneratedSources);
        string actual = generated.SourceText.ToString().ReplaceLineEndings("\n");
        string snapshotName = generated.HintName + ".txt";

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(Path.Combine(SourceSnapshotsFolder(), snapshotName), actual);
            return;
        }

        string path = Path.Combine(AppContext.BaseDirectory, "Generators", "Snapshots", snapshotName);
        Assert.True(File.Exists(path), $"No snapshot {path}; run with {UpdateVariable}=1 to record it.");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Assert.Fail($"Generated code for {name} differs from {snapshotName} (run with {UpdateVariable}=1 to re-record):\n{Diff(expected, actual)}");
        }
    }

    private static string SourceSnapshotsFolder([CallerFilePath] string thisFile = "")
        => Path.Combine(Path.GetDirectoryName(thisFile)!, "Snapshots");

    // Shows the first differing line with a little context; enough to see what changed without a diff tool.
    private static string Diff(string expected, string actual)
    {
        string[] expectedLines = expected.Split('\n'), actualLines = actual.Split('\n');
        int first = 0;
        while (first < expectedLines.Length && first < actualLines.Length && expectedLines[first] == actualLines[first])
        {
            first++;
        }

        int from = Math.Max(0, first - 2);
        string Window(string[] lines) => string.Join("\n", lines.Skip(from).Take(6).Select((line, i) => $"{from + i + 1,5}: {line}"));
        return $"first difference at line {first + 1} (expected {expectedLines.Length} lines, actual {actualLines.Length})\n--- expected\n{Window(expectedLines)}\n+++ actual\n{Window(actualLines)}";
    }
}
