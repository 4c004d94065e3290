using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// Starts first-call children (this executable again, with a warm cache folder as <c>NATIVEATTENTION_CACHE_DIR</c>)
/// and gathers what they print: single first calls, or <see cref="Runs"/> phase splits reduced to their medians.
/// </summary>
internal static class GpuFirstCallChildren
{
    /// <summary>How many fresh processes each phase split rests on.</summary>
    public const int Runs = 5;

    /// <summary>The libraries whose ReadyToRun code a <c>jit</c> child is told to ignore.</summary>
    public const string LibraryAssemblies = "NativeAttention;NativeAttention.Tensors";

    private const string ExcludeVariable = "DOTNET_ReadyToRunExcludeList";
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs one child with <paramref name="arguments"/> after <see cref="GpuBenchmarks.CommandName"/>; null when it failed.</summary>
    public static string? Run(IReadOnlyList<string> arguments, string cacheDirectory, bool precompiled, TextWriter writer, out long startTimestamp)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(Environment.ProcessPath), "dotnet", StringComparison.Ordinal))
        {
            info.ArgumentList.Add(typeof(GpuFirstCallChildren).Assembly.Location);
        }

        info.ArgumentList.Add(GpuBenchmarks.CommandName);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[KernelCache.DirectoryVariable] = cacheDirectory;
        if (precompiled)
        {
            info.Environment.Remove(ExcludeVariable);
        }
        else
        {
            info.Environment[ExcludeVariable] = LibraryAssemblies;
        }

        startTimestamp = Stopwatch.GetTimestamp();
        using Process child = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        var errors = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        if (!child.WaitForExit(ChildTimeout) || child.ExitCode != 0)
        {
            writer.WriteLine($"{string.Join(' ', arguments)}: the child failed (exit {(child.HasExited ? child.ExitCode : -1)}): {output.Trim()} {errors.Result.Trim()}");
            return null;
        }

        return output;
    }

    /// <summary>
    /// Runs <see cref="Runs"/> phase children of <paramref name="variant"/> (mode <c>first-call-phases</c> on a GPU,
    /// <c>first-call-host</c> with an arch without one) and returns the per-phase medians, <c>main</c> first; null when
    /// a child failed.
    /// </summary>
    public static GpuFirstCallPhases? MeasurePhases(string variant, IReadOnlyList<string> arguments, string cacheDirectory, bool precompiled, TextWriter writer)
    {
        var runs = new List<IReadOnlyList<GpuStartupPhase>>();
        for (int run = 0; run < Runs; run++)
        {
            if (Run(arguments, cacheDirectory, precompiled, writer, out long start) is not { } output
                || !GpuFirstCallProbe.TryParse(output, GpuFirstCallProbe.PhasesMarker, out GpuFirstCallChildPhases? child))
            {
                return null;
            }

            var phases = new List<GpuStartupPhase>
            {
                new("main", Stopwatch.GetElapsedTime(start, child.MainEnteredTimestamp).TotalMilliseconds, null, null, null),
            };
            phases.AddRange(child.Phases);
            runs.Add(phases);
        }

        return new GpuFirstCallPhases(variant, precompiled ? "precompiled" : "jit", Runs, GpuStartupPhase.Medians(runs));
    }

    /// <summary>Writes the header of <see cref="WriteRows"/>'s table.</summary>
    public static void WriteHeader(TextWriter writer, IReadOnlyList<GpuStartupPhase> phases)
    {
        writer.Write($"{"variant",-22} {"code",-12} {"time",4}");
        foreach (GpuStartupPhase phase in phases)
        {
            writer.Write($" {phase.Name,10}");
        }

        writer.WriteLine($" {"sum after main",15} {"of it JIT",10} {"methods",8}");
    }

    /// <summary>
    /// Writes two rows of per-phase medians in ms: wall time, then process CPU time (main: wall only); each ends with
    /// the sum after Main and the JIT's part of it.
    /// </summary>
    public static void WriteRows(TextWriter writer, GpuFirstCallPhases split)
    {
        double jit = 0;
        long methods = 0;
        foreach (GpuStartupPhase phase in split.Phases)
        {
            jit += phase.JitMilliseconds ?? 0;
            methods += phase.JitMethods ?? 0;
        }

        foreach (bool cpu in new[] { false, true })
        {
            writer.Write($"{split.Variant,-22} {split.Code,-12} {(cpu ? "cpu" : "wall"),4}");
            double sum = 0;
            foreach (GpuStartupPhase phase in split.Phases)
            {
                double? value = cpu ? phase.CpuMilliseconds : phase.WallMilliseconds;
                writer.Write(value is { } ms ? $" {ms,10:F1}" : $" {"-",10}");
                sum += phase.Name == "main" ? 0 : value ?? 0;
            }

            writer.WriteLine($" {sum,15:F1} {jit,10:F1} {methods,8}");
        }
    }
}
