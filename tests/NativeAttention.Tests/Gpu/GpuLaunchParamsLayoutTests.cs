using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace NativeAttention.Tests.Gpu;

/// <summary>
/// The host mirrors of the native parameter structs must match na_params.cuh byte for byte: NVRTC evaluates every
/// field offset, the captures offset and the struct sizes into a constant array, read back from the PTX and compared
/// with what C# computes.
/// </summary>
[Trait("Category", "Nvrtc")]
public sealed class GpuLaunchParamsLayoutTests
{
    private static readonly (string Host, string Native)[] s_forward =
    [
        ("Query", "q"), ("Key", "k"), ("Value", "v"), ("Output", "o"),
        ("QueryBatchStride", "q_batch_stride"), ("QueryHeadStride", "q_head_stride"), ("QuerySeqStride", "q_seq_stride"),
        ("KeyBatchStride", "k_batch_stride"), ("KeyHeadStride", "k_head_stride"), ("KeySeqStride", "k_seq_stride"),
        ("ValueBatchStride", "v_batch_stride"), ("ValueHeadStride", "v_head_stride"), ("ValueSeqStride", "v_seq_stride"),
        ("OutputBatchStride", "o_batch_stride"), ("OutputHeadStride", "o_head_stride"), ("OutputSeqStride", "o_seq_stride"),
        ("LogSumExp", "lse"), ("TileMap", "tile_map"),
        ("TileMapBatchStride", "tile_map_batch_stride"), ("TileMapHeadStride", "tile_map_head_stride"), ("TileMapQStride", "tile_map_q_stride"),
        ("Batch", "batch"), ("Heads", "heads"), ("KvHeads", "kv_heads"), ("SeqQ", "seq_q"), ("SeqKV", "seq_kv"),
        ("Scale", "scale"), ("ScaleLog2", "scale_log2"),
    ];

    private static readonly (string Host, string Native)[] s_decode =
    [
        ("Query", "q"), ("Key", "k"), ("Value", "v"),
        ("QueryBatchStride", "q_batch_stride"), ("QueryHeadStride", "q_head_stride"), ("QuerySeqStride", "q_seq_stride"),
        ("KeyBatchStride", "k_batch_stride"), ("KeyHeadStride", "k_head_stride"), ("KeySeqStride", "k_seq_stride"),
        ("ValueBatchStride", "v_batch_stride"), ("ValueHeadStride", "v_head_stride"), ("ValueSeqStride", "v_seq_stride"),
        ("OutputPartial", "o_partial"), ("LogSumExpPartial", "lse_partial"),
        ("Batch", "batch"), ("Heads", "heads"), ("KvHeads", "kv_heads"), ("SeqQ", "seq_q"), ("SeqKV", "seq_kv"),
        ("NumSplits", "num_splits"), ("KeysPerSplit", "keys_per_split"), ("Scale", "scale"), ("ScaleLog2", "scale_log2"),
    ];

    private static readonly (string Host, string Native)[] s_combine =
    [
        ("OutputPartial", "o_partial"), ("LogSumExpPartial", "lse_partial"), ("Output", "o"),
        ("OutputBatchStride", "o_batch_stride"), ("OutputHeadStride", "o_head_stride"), ("OutputSeqStride", "o_seq_stride"),
        ("LogSumExp", "lse"), ("Batch", "batch"), ("Heads", "heads"), ("SeqQ", "seq_q"), ("NumPartials", "num_partials"),
    ];

    private static readonly (string Host, string Native)[] s_classify =
    [
        ("TileMap", "tile_map"), ("TileMapBatchStride", "tile_map_batch_stride"), ("TileMapHeadStride", "tile_map_head_stride"),
        ("TileMapQStride", "tile_map_q_stride"), ("MapBatch", "map_batch"), ("MapHeads", "map_heads"), ("SeqQ", "seq_q"),
        ("SeqKV", "seq_kv"), ("TileQ", "tile_q"), ("TileKV", "tile_kv"),
    ];

    public static TheoryData<string> Variants()
    {
        var data = new TheoryData<string>();
        foreach (AttentionVariantDescriptor variant in BuiltInVariants.All)
        {
            data.Add(variant.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void HostMirrorsMatchTheNativeStructsForEveryBuiltInVariant(string name)
    {
        Assert.SkipUnless(Cuda.IsNvrtcAvailable, Cuda.NvrtcUnavailableReason ?? string.Empty);
        AttentionVariantDescriptor variant = BuiltInVariants.Named(name);
        int alignment = GpuParamBlock.CapturesAlignment(variant);
        var checks = new List<(string Expression, int Expected)>();
        AppendFields<GpuForwardParams>(checks, "na_forward_params", s_forward);
        AppendFields<GpuDecodeParams>(checks, "na_decode_params", s_decode);
        AppendFields<GpuCombineParams>(checks, "na_combine_params", s_combine);
        AppendFields<GpuClassifyParams>(checks, "na_classify_params", s_classify);
        checks.Add((Offset("na_forward_params", "caps"), Align(GpuForwardParams.FieldsEnd, alignment)));
        checks.Add((Offset("na_decode_params", "caps"), Align(GpuDecodeParams.FieldsEnd, alignment)));
        checks.Add((Offset("na_classify_params", "caps"), Align(GpuClassifyParams.FieldsEnd, alignment)));
        checks.Add(("sizeof(na_combine_params)", Unsafe.SizeOf<GpuCombineParams>()));
        checks.Add(("sizeof(na_captures)", variant.CapturesSize));
        checks.Add(("alignof(na_captures)", alignment));
        foreach (AttentionCaptureDescriptor capture in variant.Captures)
        {
            checks.Add((Offset("na_captures", capture.CudaName), capture.Offset));
            if (capture.IsSpan)
            {
                checks.Add((Offset("na_captures", capture.CudaName + "_length"), capture.LengthOffset));
            }
        }

        string source = GpuKernelSources.Read(GpuKernelSources.CommonFile) + "\n" + variant.CudaSource + "\n"
            + GpuKernelSources.Read(GpuKernelSources.ParamsFile) + "\n"
            + "extern \"C\" __constant__ int na_layout[] = {" + string.Join(", ", checks.Select(c => "(int)(" + c.Expression + ")")) + "};\n"
            + "extern \"C\" __global__ void na_layout_touch(int* o) { o[threadIdx.x] = na_layout[threadIdx.x]; }\n";

        // NVRTC 13 refuses a member's address in a null pointer as a constant initializer, and neither it nor 11.8 has
        // __builtin_offsetof: there is no offset to read from its PTX. The structs' layout depends on na_params.cuh and
        // the C++ ABI, not on the NVRTC version, so CI's NVRTC 11.8 checks it; the GPU tests launch with these blocks.
        NvrtcCompilation compilation;
        try
        {
            compilation = NvrtcCompiler.Compile(source, name + "_layout.cu", "compute_80", ["-std=c++17", "-DNA_DTYPE=bf16"]);
        }
        catch (NvrtcException error) when (error.Log.Contains("dynamic initialization is not supported", StringComparison.Ordinal))
        {
            Assert.Skip($"NVRTC {Cuda.NvrtcVersion} takes no constant member offsets: {error.Log.Split('\n')[0]}");
            return;
        }

        Match match = Regex.Match(Encoding.UTF8.GetString(compilation.Image), @"na_layout\[(\d+)\] = \{([0-9, ]+)\}");
        Assert.True(match.Success, "na_layout not found in the PTX");
        byte[] bytes = match.Groups[2].Value.Split(", ").Select(byte.Parse).ToArray();
        Assert.Equal(checks.Count * 4, bytes.Length);
        for (int i = 0; i < checks.Count; i++)
        {
            Assert.True(
                checks[i].Expected == BitConverter.ToInt32(bytes, i * 4),
                $"{checks[i].Expression}: host {checks[i].Expected}, native {BitConverter.ToInt32(bytes, i * 4)}");
        }
    }

    [Fact]
    public void AParamBlockPlacesTheCapturesAtTheirAlignmentAfterTheFields()
    {
        var fields = new GpuDecodeParams { Query = 0x1122334455667788, ScaleLog2 = 2.5f };
        byte[] captures = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

        GpuParamBlock packed4 = GpuParamBlock.Create(fields, GpuDecodeParams.FieldsEnd, captures.AsSpan(0, 4), 4);
        GpuParamBlock packed8 = GpuParamBlock.Create(fields, GpuDecodeParams.FieldsEnd, captures, 8);

        ReadOnlySpan<byte> bytes4 = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref packed4[0], GpuParamBlock.Capacity / 8));
        ReadOnlySpan<byte> bytes8 = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref packed8[0], GpuParamBlock.Capacity / 8));
        Assert.Equal(148, GpuDecodeParams.FieldsEnd);
        Assert.Equal(0x1122334455667788UL, MemoryMarshal.Read<ulong>(bytes4));
        Assert.Equal(2.5f, MemoryMarshal.Read<float>(bytes4[144..]));
        Assert.Equal(captures.AsSpan(0, 4).ToArray(), bytes4.Slice(148, 4).ToArray());
        Assert.Equal(captures, bytes8.Slice(152, 16).ToArray());
    }

    [Fact]
    public void AParamBlockRejectsCapturesPastItsCapacity()
    {
        NotSupportedException error = Assert.Throws<NotSupportedException>(
            () => GpuParamBlock.Create(new GpuForwardParams(), GpuForwardParams.FieldsEnd, new byte[400], 8));

        Assert.Contains("at most 512 bytes", error.Message, StringComparison.Ordinal);
    }

    private static void AppendFields<TFields>(List<(string Expression, int Expected)> checks, string native, (string Host, string Native)[] fields)
        where TFields : struct
    {
        Assert.Equal(typeof(TFields).GetFields(BindingFlags.Instance | BindingFlags.Public).Length, fields.Length);
        foreach ((string host, string field) in fields)
        {
            checks.Add((Offset(native, field), (int)Marshal.OffsetOf<TFields>(host)));
        }
    }

    private static string Offset(string type, string field) => $"(unsigned long long)&((({type}*)0)->{field})";

    private static int Align(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;
}
