using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace NativeAttention.Bench.Gpu;

/// <summary>
/// The figures of one run, written as JSON: <c>fwd_*</c> keys with <c>tflops</c> and <c>decode</c> with <c>tbps</c>
/// (the keys and fields bench/gpu/peers.py reads from the native benchmark), plus <c>compile</c> and <c>device</c>.
/// </summary>
internal sealed class GpuBenchmarkReport(CudaDevice device)
{
    private readonly List<(string Key, GpuTiming Timing, double Rate, string RateName)> _timed = [];
    private readonly List<GpuCompileFigures> _compiles = [];

    /// <summary>Gets how many checks failed (non-finite outputs, failed child processes).</summary>
    public int Failures { get; private set; }

    public double NvrtcFirstUseMilliseconds { get; set; }

    /// <summary>Gets or sets the decode scratch probe: bytes, host µs per allocation after a synchronize and back to back.</summary>
    public (long Bytes, double AfterSynchronizeMicroseconds, double BackToBackMicroseconds)? ScratchAllocation { get; set; }

    public void AddPrefill(string key, GpuTiming timing, double teraflops) =>
        _timed.Add((key, timing, teraflops, "tflops"));

    public void AddDecode(string key, GpuTiming timing, double terabytesPerSecond) =>
        _timed.Add((key, timing, terabytesPerSecond, "tbps"));

    public void AddCompile(GpuCompileFigures figures) => _compiles.Add(figures);

    public void AddFailure() => Failures++;

    public string ToJson()
    {
        using var memory = new MemoryStream();
        using (var json = new Utf8JsonWriter(memory, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("device");
            json.WriteString("name", device.Name);
            json.WriteString("arch", GpuArchitecture.Select(device));
            json.WriteNumber("driver", Cuda.DriverVersion);
            json.WriteString("nvrtc", NvrtcCompiler.Version.ToString());
            json.WriteNumber("failures", Failures);
            json.WriteEndObject();
            foreach (var (key, timing, rate, rateName) in _timed)
            {
                json.WriteStartObject(key);
                json.WriteNumber("ms", timing.Milliseconds);
                json.WriteNumber(rateName, rate);
                json.WriteNumber("host_us", timing.HostMicroseconds);
                json.WriteNumber("back_to_back_ms", timing.BackToBackMilliseconds);
                json.WriteEndObject();
            }

            if (ScratchAllocation is { } scratch)
            {
                // Not under a "decode" key: peers.py reads every key that starts with "decode" as a decode figure.
                json.WriteStartObject("scratch_allocation");
                json.WriteNumber("bytes", scratch.Bytes);
                json.WriteNumber("after_synchronize_us", scratch.AfterSynchronizeMicroseconds);
                json.WriteNumber("back_to_back_us", scratch.BackToBackMicroseconds);
                json.WriteEndObject();
            }

            if (_compiles.Count > 0)
            {
                json.WriteStartObject("compile");
                json.WriteNumber("nvrtc_first_use_ms", NvrtcFirstUseMilliseconds);
                foreach (GpuCompileFigures figures in _compiles)
                {
                    json.WriteStartObject(figures.Variant);
                    json.WriteNumber("forward_cold_ms", figures.ForwardColdMilliseconds);

                    if (figures.FirstCall is { } first)
                    {
                        json.WriteNumber("warm_disk_first_call_ms", first.FirstCallMilliseconds);
                        json.WriteNumber("second_call_ms", first.SecondCallMilliseconds);
                        json.WriteNumber("child_compiles", first.Compiles);
                        json.WriteNumber("child_disk_hits", first.DiskHits);
                    }

                    foreach (GpuFirstCallPhases split in figures.Phases)
                    {
                        json.WriteStartObject("phases_" + split.Code);
                        json.WriteNumber("processes", split.Runs);
                        foreach (GpuStartupPhase phase in split.Phases)
                        {
                            json.WriteStartObject(phase.Name);
                            json.WriteNumber("wall_ms", phase.WallMilliseconds);
                            if (phase.CpuMilliseconds is { } cpu)
                            {
                                json.WriteNumber("cpu_ms", cpu);
                            }

                            if (phase.JitMilliseconds is { } jit && phase.JitMethods is { } methods)
                            {
                                json.WriteNumber("jit_ms", jit);
                                json.WriteNumber("jit_methods", methods);
                            }

                            json.WriteEndObject();
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(memory.ToArray());
    }
}
