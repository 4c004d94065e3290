using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>
/// The interval lowering of statements (early returns, locals assigned in branches, else-if chains) is sound: the
/// Branchy sample is generated, compiled, loaded, and its classifier checked against brute force over random tiles.
/// </summary>
public sealed unsafe class GeneratedClassifierTests
{
    private delegate TileClass Classify(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast);

    private delegate bool Mask(int batch, int head, int q, int kv);

    [Fact]
    public void BranchyClassifierIsSoundAgainstBruteForce()
    {
        Type mods = CompileSample("Branchy").GetType("Samples.Branchy+Mods", throwOnError: true)!;
        var rng = new Random(3);
        int full = 0, empty = 0;
        int[] headWindow = [3, 7, 1, 12, 5, 0, 9, 2];
        fixed (int* pointer = headWindow)
        {
            for (int round = 0; round < 12; round++)
            {
                int sinks = rng.Next(0, 6), window = rng.Next(0, 10);
                object instance = Activator.CreateInstance(mods, sinks, window, new CaptureSpan<int>(pointer, headWindow.Length))!;
                var classify = mods.GetMethod("TryClassifyTile")!.CreateDelegate<Classify>(instance);
                var mask = mods.GetMethod("Mask")!.CreateDelegate<Mask>(instance);
                for (int tile = 0; tile < 400; tile++)
                {
                    int qFirst = rng.Next(0, 60), kvFirst = rng.Next(0, 60);
                    int qLast = qFirst + rng.Next(0, 24), kvLast = kvFirst + rng.Next(0, 24);
                    int batch = rng.Next(0, 3), head = rng.Next(0, headWindow.Length);
                    bool anyKept = false, anyDropped = false;
                    for (int q = qFirst; q <= qLast; q++)
                    {
                        for (int kv = kvFirst; kv <= kvLast; kv++)
                        {
                            bool kept = mask(batch, head, q, kv);
                            anyKept |= kept;
                            anyDropped |= !kept;
                        }
                    }

                    TileClass actual = classify(batch, head, qFirst, qLast, kvFirst, kvLast);
                    string where = $"sinks {sinks} window {window} batch {batch} head {head} q[{qFirst},{qLast}] kv[{kvFirst},{kvLast}]";
                    Assert.False(actual == TileClass.Full && anyDropped, "Unsound Full: " + where);
                    Assert.False(actual == TileClass.Empty && anyKept, "Unsound Empty: " + where);
                    full += actual == TileClass.Full ? 1 : 0;
                    empty += actual == TileClass.Empty ? 1 : 0;
                }
            }
        }

        Assert.True(full > 0 && empty > 0, $"The classifier proved {full} tiles full and {empty} empty.");
    }

    private static Assembly CompileSample(string name)
    {
        string source = Samples.All.Single(sample => sample.Name == name).Source;
        GeneratorOutcome outcome = GeneratorHarness.Run(($"Samples/{name}.cs", source));
        Assert.Empty(outcome.Diagnostics);
        using var image = new MemoryStream();
        EmitResult emitted = outcome.Output.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(image);
    }
}
