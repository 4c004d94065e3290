using System;
using System.Collections.Generic;

namespace NativeAttention;

/// <summary>
/// One validated GPU attention call: pads unsupported head dims, picks decode (seqQ ≤ 16) or flash forward, prepares
/// the tile map and queues every kernel on the stream.
/// </summary>
internal sealed unsafe class GpuAttentionCall(
    CudaDevice device,
    CudaStream? stream,
    AttentionVariantDescriptor variant,
    GpuDataType dataType,
    GpuAttentionShape shape,
    float scale,
    ulong logSumExp,
    bool maskDependsOnBatch,
    bool maskDependsOnHead,
    bool maskReadsSpanCapture)
{
    private const double Log2E = 1.4426950408889634;
    private const int MaxGridY = 65535;

    /// <summary>Queues the call; memory added to <paramref name="scratch"/> is freed by the caller afterwards, in stream order.</summary>
    public void Run(GpuOperand query, GpuOperand key, GpuOperand value, GpuOperand output, ReadOnlySpan<byte> captures, List<DeviceScratch> scratch)
    {
        int headDim = GpuCompileUnit.PaddedDim(shape.HeadDim);
        int valueDim = GpuCompileUnit.PaddedDim(shape.ValueDim);
        if (headDim != shape.HeadDim)
        {
            query = PaddedCopy(query, shape.Heads, shape.SeqQ, shape.HeadDim, headDim, scratch);
            key = PaddedCopy(key, shape.KvHeads, shape.SeqKV, shape.HeadDim, headDim, scratch);
        }

        GpuOperand kernelOutput = output;
        if (valueDim != shape.ValueDim)
        {
            value = PaddedCopy(value, shape.KvHeads, shape.SeqKV, shape.ValueDim, valueDim, scratch);
            kernelOutput = GpuOperand.Packed(Allocate((long)shape.Batch * shape.Heads * shape.SeqQ * valueDim * 2, scratch), shape.Heads, shape.SeqQ, valueDim);
        }

        if (!TryRunDecode(query, key, value, kernelOutput, headDim, valueDim, captures, scratch))
        {
            RunForward(query, key, value, kernelOutput, headDim, valueDim, captures, scratch);
        }

        if (valueDim != shape.ValueDim)
        {
            GpuPadding.Copy(device, stream, kernelOutput, valueDim, output, shape.ValueDim, shape.Batch, shape.Heads, shape.SeqQ);
        }
    }

    private void RunForward(
        GpuOperand query, GpuOperand key, GpuOperand value, GpuOperand output, int headDim, int valueDim, ReadOnlySpan<byte> captures, List<DeviceScratch> scratch)
    {
        GpuKernelUnit unit = GpuModuleCache.Get(device, GpuKernelTemplate.FlashForward, variant.CudaSource, dataType, headDim, valueDim);
        int blockM = unit.Config[0];
        int blockN = unit.Config[1];
        GpuTileMapView map = GpuTileMaps.Prepare(
            device, stream, unit, variant, new GpuMaskTraits(maskDependsOnBatch, maskDependsOnHead, maskReadsSpanCapture), shape, blockM, blockN, captures, scratch);
        var fields = new GpuForwardParams
        {
            Query = query.Pointer,
            Key = key.Pointer,
            Value = value.Pointer,
            Output = output.Pointer,
            QueryBatchStride = query.BatchStride,
            QueryHeadStride = query.HeadStride,
            QuerySeqStride = query.SeqStride,
            KeyBatchStride = key.BatchStride,
            KeyHeadStride = key.HeadStride,
            KeySeqStride = key.SeqStride,
            ValueBatchStride = value.BatchStride,
            ValueHeadStride = value.HeadStride,
            ValueSeqStride = value.SeqStride,
            OutputBatchStride = output.BatchStride,
            OutputHeadStride = output.HeadStride,
            OutputSeqStride = output.SeqStride,
            LogSumExp = logSumExp,
            TileMap = map.Pointer,
            TileMapBatchStride = map.BatchStride,
            TileMapHeadStride = map.HeadStride,
            TileMapQStride = map.QStride,
            Batch = shape.Batch,
            Heads = shape.Heads,
            KvHeads = shape.KvHeads,
            SeqQ = shape.SeqQ,
            SeqKV = shape.SeqKV,
            Scale = scale,
            ScaleLog2 = (float)(scale * Log2E),
        };
        GpuParamBlock block = GpuParamBlock.Create(fields, GpuForwardParams.FieldsEnd, captures, GpuParamBlock.CapturesAlignment(variant));
        var arguments = new KernelArguments();
        arguments.AddBytes(block.AsBytes(), GpuParamBlock.Alignment);
        int queryTiles = (shape.SeqQ + blockM - 1) / blockM;
        unit.Kernel.Launch(new Dim3(queryTiles, shape.Heads, shape.Batch), new Dim3(unit.Config[2]), unit.Config[3], stream, arguments);
    }

    private bool TryRunDecode(
        GpuOperand query, GpuOperand key, GpuOperand value, GpuOperand output, int headDim, int valueDim, ReadOnlySpan<byte> captures, List<DeviceScratch> scratch)
    {
        if (shape.SeqQ > GpuAttention.DecodeMaxQueries || shape.SeqKV == 0)
        {
            return false;
        }

        GpuKernelUnit unit = GpuModuleCache.Get(device, GpuKernelTemplate.Decode, variant.CudaSource, dataType, headDim, valueDim);
        int warps = unit.Config[4];
        GpuDecodePlan plan = GpuDecodePlan.Create(shape, unit.Config[0], unit.Config[1], device.MultiprocessorCount);
        long gridY = (long)shape.KvHeads * plan.RowBlocks;
        if (gridY > MaxGridY)
        {
            return false;
        }

        int partials = plan.NumSplits * warps;
        long rows = shape.QueryRows;
        ulong outputPartial = Allocate(rows * partials * valueDim * sizeof(float), scratch);
        ulong logSumExpPartial = Allocate(rows * partials * sizeof(float), scratch);
        var split = new GpuDecodeParams
        {
            Query = query.Pointer,
            Key = key.Pointer,
            Value = value.Pointer,
            QueryBatchStride = query.BatchStride,
            QueryHeadStride = query.HeadStride,
            QuerySeqStride = query.SeqStride,
            KeyBatchStride = key.BatchStride,
            KeyHeadStride = key.HeadStride,
            KeySeqStride = key.SeqStride,
            ValueBatchStride = value.BatchStride,
            ValueHeadStride = value.HeadStride,
            ValueSeqStride = value.SeqStride,
            OutputPartial = outputPartial,
            LogSumExpPartial = logSumExpPartial,
            Batch = shape.Batch,
            Heads = shape.Heads,
            KvHeads = shape.KvHeads,
            SeqQ = shape.SeqQ,
            SeqKV = shape.SeqKV,
            NumSplits = plan.NumSplits,
            KeysPerSplit = plan.KeysPerSplit,
            Scale = scale,
            ScaleLog2 = (float)(scale * Log2E),
        };
        GpuParamBlock splitBlock = GpuParamBlock.Create(split, GpuDecodeParams.FieldsEnd, captures, GpuParamBlock.CapturesAlignment(variant));
        var splitArguments = new KernelArguments();
        splitArguments.AddBytes(splitBlock.AsBytes(), GpuParamBlock.Alignment);
        unit.Kernel.Launch(new Dim3(plan.NumSplits, (int)gridY, shape.Batch), new Dim3(unit.Config[2]), unit.Config[3], stream, splitArguments);

        var combine = new GpuCombineParams
        {
            OutputPartial = outputPartial,
            LogSumExpPartial = logSumExpPartial,
            Output = output.Pointer,
            OutputBatchStride = output.BatchStride,
            OutputHeadStride = output.HeadStride,
            OutputSeqStride = output.SeqStride,
            LogSumExp = logSumExp,
            Batch = shape.Batch,
            Heads = shape.Heads,
            SeqQ = shape.SeqQ,
            NumPartials = partials,
        };
        GpuParamBlock combineBlock = GpuParamBlock.Create(combine, sizeof(GpuCombineParams), [], sizeof(int));
        var combineArguments = new KernelArguments();
        combineArguments.AddBytes(combineBlock.AsBytes(), GpuParamBlock.Alignment);
        int combineWarps = unit.SecondConfig[0];
        long combineBlocks = (rows + combineWarps - 1) / combineWarps;
        unit.SecondKernel.Launch(new Dim3(checked((int)combineBlocks)), new Dim3(combineWarps * 32), 0, stream, combineArguments);
        return true;
    }

    private GpuOperand PaddedCopy(GpuOperand source, int heads, int seq, int dim, int paddedDim, List<DeviceScratch> scratch)
    {
        ulong pointer = Allocate((long)shape.Batch * heads * seq * paddedDim * 2, scratch);
        GpuOperand padded = GpuOperand.Packed(pointer, heads, seq, paddedDim);
        GpuPadding.Copy(device, stream, source, dim, padded, paddedDim, shape.Batch, heads, seq);
        return padded;
    }

    private ulong Allocate(long bytes, List<DeviceScratch> scratch)
    {
        var memory = new DeviceScratch(device, Math.Max(bytes, 16), stream);
        scratch.Add(memory);
        return memory.DevicePointer;
    }
}
