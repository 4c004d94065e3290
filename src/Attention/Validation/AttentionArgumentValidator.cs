using System;
using System.Numerics.Tensors;

namespace NativeAttention;

/// <summary>
/// Checks the arguments of an attention forward call against each other and returns their sizes. Every failure is an
/// <see cref="ArgumentException"/> whose parameter name is the offending argument and whose message states the
/// expected and the actual value.
/// </summary>
internal static class AttentionArgumentValidator
{
    private const int Rank = 4;

    /// <summary>Validates the tensors, the options and the mods' captures of one call.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TMods">The spec's mod struct.</typeparam>
    /// <param name="query">[batch, heads, seqQ, headDim].</param>
    /// <param name="key">[batch, kvHeads, seqKV, headDim].</param>
    /// <param name="value">[batch, kvHeads, seqKV, valueDim].</param>
    /// <param name="output">[batch, heads, seqQ, valueDim].</param>
    /// <param name="mods">The mods whose captures are checked against the shape.</param>
    /// <param name="options">The options, or null.</param>
    /// <returns>The call's sizes.</returns>
    public static AttentionShape Validate<T, TMods>(
        in ReadOnlyTensorSpan<T> query,
        in ReadOnlyTensorSpan<T> key,
        in ReadOnlyTensorSpan<T> value,
        in TensorSpan<T> output,
        in TMods mods,
        AttentionOptions? options)
        where TMods : struct, IAttentionMods
    {
        SupportedElementTypes.ThrowIfUnsupported<T>();
        RequireRank(query.Rank, nameof(query), "[batch, heads, seqQ, headDim]");
        RequireRank(key.Rank, nameof(key), "[batch, kvHeads, seqKV, headDim]");
        RequireRank(value.Rank, nameof(value), "[batch, kvHeads, seqKV, valueDim]");
        RequireRank(output.Rank, nameof(output), "[batch, heads, seqQ, valueDim]");

        int batch = Length(query.Lengths, 0, nameof(query), "batch");
        int heads = Length(query.Lengths, 1, nameof(query), "heads");
        int seqQ = Length(query.Lengths, 2, nameof(query), "seqQ");
        int headDim = Length(query.Lengths, 3, nameof(query), "headDim");
        int kvHeads = Length(key.Lengths, 1, nameof(key), "kvHeads");
        int seqKV = Length(key.Lengths, 2, nameof(key), "seqKV");
        int valueDim = Length(value.Lengths, 3, nameof(value), "valueDim");

        if (headDim == 0)
        {
            throw new ArgumentException("Expected query.Lengths[3] (headDim) to be at least 1, but got 0.", nameof(query));
        }

        RequireMatch(key.Lengths, 0, batch, nameof(key), "batch", "query");
        RequireMatch(key.Lengths, 3, headDim, nameof(key), "headDim", "query");
        RequireMatch(value.Lengths, 0, batch, nameof(value), "batch", "query");
        RequireMatch(value.Lengths, 1, kvHeads, nameof(value), "kvHeads", "key");
        RequireMatch(value.Lengths, 2, seqKV, nameof(value), "seqKV", "key");
        RequireMatch(output.Lengths, 0, batch, nameof(output), "batch", "query");
        RequireMatch(output.Lengths, 1, heads, nameof(output), "heads", "query");
        RequireMatch(output.Lengths, 2, seqQ, nameof(output), "seqQ", "query");
        RequireMatch(output.Lengths, 3, valueDim, nameof(output), "valueDim", "value");

        if (heads > 0 && (kvHeads == 0 || heads % kvHeads != 0))
        {
            throw new ArgumentException(
                $"Expected key.Lengths[1] (kvHeads) to divide query.Lengths[1] (heads) = {heads}, but got {kvHeads}.",
                nameof(key));
        }

        RequireContiguousLastDimension(query.Lengths, query.Strides, nameof(query));
        RequireContiguousLastDimension(key.Lengths, key.Strides, nameof(key));
        RequireContiguousLastDimension(value.Lengths, value.Strides, nameof(value));
        RequireContiguousLastDimension(output.Lengths, output.Strides, nameof(output));
        RequireNoBroadcast(output.Lengths, output.Strides);

        var shape = new AttentionShape(batch, heads, kvHeads, seqQ, seqKV, headDim, valueDim);
        ValidateOptions(options, shape);
        mods.ValidateCaptures(batch, heads, seqQ, seqKV);
        return shape;
    }

    private static void ValidateOptions(AttentionOptions? options, AttentionShape shape)
    {
        if (options is null)
        {
            return;
        }

        if (options.Scale is float scale && !float.IsFinite(scale))
        {
            throw new ArgumentException($"Expected options.Scale to be finite, but got {scale}.", nameof(options));
        }

        if (!options.LogSumExp.IsEmpty && options.LogSumExp.Length != shape.QueryRows)
        {
            throw new ArgumentException(
                $"Expected options.LogSumExp.Length = batch·heads·seqQ = {shape.QueryRows} (or 0 to skip it), but got {options.LogSumExp.Length}.",
                nameof(options));
        }

        if (options.MaxDegreeOfParallelism == 0 || options.MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.MaxDegreeOfParallelism,
                $"Expected options.MaxDegreeOfParallelism to be -1 (no limit) or at least 1, but got {options.MaxDegreeOfParallelism}.");
        }
    }

    private static void RequireRank(int rank, string name, string layout)
    {
        if (rank != Rank)
        {
            throw new ArgumentException($"Expected {name} to have rank {Rank} ({layout}), but got rank {rank}.", name);
        }
    }

    private static int Length(ReadOnlySpan<nint> lengths, int dimension, string name, string meaning)
    {
        nint length = lengths[dimension];
        if (length > int.MaxValue)
        {
            throw new ArgumentException(
                $"Expected {name}.Lengths[{dimension}] ({meaning}) to be at most {int.MaxValue}, but got {length}.", name);
        }

        return (int)length;
    }

    private static void RequireMatch(ReadOnlySpan<nint> lengths, int dimension, int expected, string name, string meaning, string source)
    {
        if (lengths[dimension] != expected)
        {
            throw new ArgumentException(
                $"Expected {name}.Lengths[{dimension}] ({meaning}) = {expected} to match {source}, but got {lengths[dimension]}.",
                name);
        }
    }

    private static void RequireContiguousLastDimension(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, string name)
    {
        if (lengths[Rank - 1] > 1 && strides[Rank - 1] != 1)
        {
            throw new ArgumentException(
                $"Expected {name}.Strides[{Rank - 1}] = 1 (the last dimension must be contiguous), but got {strides[Rank - 1]}.",
                name);
        }
    }

    private static void RequireNoBroadcast(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        for (int dimension = 0; dimension < Rank - 1; dimension++)
        {
            if (lengths[dimension] > 1 && strides[dimension] == 0)
            {
                throw new ArgumentException(
                    $"Expected output.Strides[{dimension}] to be nonzero (output elements must not alias each other), but got 0.",
                    "output");
            }
        }
    }
}
