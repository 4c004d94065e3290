using System.Linq;
using System.Text;
using NativeAttention.Generators.Model;

namespace NativeAttention.Generators.Emit;

/// <summary>
/// Writes the GPU <c>Forward</c> overloads of a spec: device tensors of Half or BFloat16, span captures as device
/// buffers, scalars as launch arguments, then a call to <c>GpuAttention.Forward</c> with the captures written at the
/// descriptor's offsets.
/// </summary>
internal static class GpuForwardEmitter
{
    private static readonly (string Type, string Doc)[] ElementTypes =
    [
        ("global::System.Half", "<see cref=\"global::System.Half\"/>"),
        ("global::NativeAttention.BFloat16", "<see cref=\"global::NativeAttention.BFloat16\"/>"),
    ];

    public static void Append(StringBuilder source, SpecModel spec)
    {
        foreach (var (type, doc) in ElementTypes)
        {
            AppendForward(source, spec, type, doc);
        }
    }

    private static void AppendForward(StringBuilder source, SpecModel spec, string type, string typeDoc)
    {
        string tensor = "global::NativeAttention.DeviceTensor<" + type + ">";
        source.Append("    /// <summary>Queues ").Append(spec.ClassName).Append(" attention on the GPU with ").Append(typeDoc)
            .Append(" elements; returns before the kernels finish, so synchronize the stream before reading the output.</summary>\n");
        source.Append("    /// <param name=\"query\">[batch, heads, seqQ, headDim] on the device, last dimension contiguous, other strides multiples of 8.</param>\n");
        source.Append("    /// <param name=\"key\">[batch, kvHeads, seqKV, headDim] on the device, same layout rules.</param>\n");
        source.Append("    /// <param name=\"value\">[batch, kvHeads, seqKV, valueDim] on the device, same layout rules.</param>\n");
        source.Append("    /// <param name=\"output\">[batch, heads, seqQ, valueDim] on the device, same layout rules.</param>\n");
        foreach (CaptureModel capture in spec.Captures)
        {
            source.Append("    /// <param name=\"").Append(capture.Name).Append("\">The spec's '").Append(capture.Name).Append("' capture")
                .Append(capture.IsSpan ? ", in device memory" : string.Empty).Append(".</param>\n");
        }

        source.Append("    /// <param name=\"options\">Scale and device log-sum-exp output; null for the defaults.</param>\n");
        source.Append("    /// <param name=\"stream\">The stream to queue on; null for the legacy default stream.</param>\n");
        source.Append("    public static ").Append(spec.NeedsUnsafe ? "unsafe " : string.Empty).Append("void Forward(\n");
        source.Append("        ").Append(tensor).Append(" query,\n");
        source.Append("        ").Append(tensor).Append(" key,\n");
        source.Append("        ").Append(tensor).Append(" value,\n");
        source.Append("        ").Append(tensor).Append(" output,\n");
        foreach (CaptureModel capture in spec.Captures)
        {
            source.Append("        ").Append(capture.IsSpan ? $"global::NativeAttention.DeviceBuffer<{capture.ElementType}>" : capture.ElementType)
                .Append(" @").Append(capture.Name).Append(",\n");
        }

        source.Append("        global::NativeAttention.AttentionOptions? options = null,\n");
        source.Append("        global::NativeAttention.CudaStream? stream = null)\n    {\n");
        source.Append("        global::System.Span<byte> __na_captures = stackalloc byte[").Append(spec.CapturesSize).Append("];\n");
        if (spec.Captures.Count == 0)
        {
            source.Append("        __na_captures.Clear();\n");
        }
        else
        {
            source.Append("        var __na_writer = new global::NativeAttention.GpuCaptureWriter(Descriptor, __na_captures);\n");
            for (int i = 0; i < spec.Captures.Count; i++)
            {
                source.Append("        __na_writer.Write(").Append(i).Append(", @").Append(spec.Captures[i].Name).Append(");\n");
            }

            if (spec.CaptureFaultOffset >= 0)
            {
                source.Append("        __na_writer.WriteCaptureFault(").Append(spec.CaptureFaultOffset).Append(", query);\n");
            }
        }

        // The GPU path validates span lengths with the CPU mods, which then hold lengths only: the memory is on the device.
        string lengths = string.Join(", ", spec.Captures.Select(c => c.IsSpan
            ? $"new global::NativeAttention.CaptureSpan<{c.ElementType}>(null, (int)@{c.Name}.Length)"
            : "@" + c.Name));
        bool maskReadsSpan = spec.MaskCaptures.Any(name => spec.Captures.First(c => c.Name == name).IsSpan);
        source.Append("        global::NativeAttention.GpuAttention.Forward(query, key, value, output, Descriptor, __na_captures, new Mods(")
            .Append(lengths).Append("), maskReadsSpanCapture: ").Append(maskReadsSpan ? "true" : "false").Append(", options, stream);\n");
        source.Append("    }\n\n");
    }
}
