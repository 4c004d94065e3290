using System;

namespace NativeAttention;

/// <summary>Rejects an output whose memory range intersects an input's, which would let writes corrupt later reads.</summary>
internal static unsafe class MemoryOverlap
{
    /// <summary>Throws when the element ranges of <paramref name="output"/> and <paramref name="input"/> intersect.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="output">The output's first element, pinned.</param>
    /// <param name="outputLengths">The output's lengths.</param>
    /// <param name="outputStrides">The output's strides.</param>
    /// <param name="input">The input's first element, pinned.</param>
    /// <param name="inputLengths">The input's lengths.</param>
    /// <param name="inputStrides">The input's strides.</param>
    /// <param name="inputName">The input's argument name, for the message.</param>
    /// <remarks>
    /// Compares the [lowest, highest] address ranges, which is exact for the dense and strided views this library
    /// documents and conservative for outputs interleaved with an input inside one buffer.
    /// </remarks>
    public static void ThrowIfOutputOverlaps<T>(
        T* output,
        ReadOnlySpan<nint> outputLengths,
        ReadOnlySpan<nint> outputStrides,
        T* input,
        ReadOnlySpan<nint> inputLengths,
        ReadOnlySpan<nint> inputStrides,
        string inputName)
        where T : unmanaged
    {
        nint outputExtent = Extent(outputLengths, outputStrides);
        nint inputExtent = Extent(inputLengths, inputStrides);
        if (outputExtent == 0 || inputExtent == 0)
        {
            return;
        }

        T* outputEnd = output + outputExtent;
        T* inputEnd = input + inputExtent;
        if (output < inputEnd && input < outputEnd)
        {
            throw new ArgumentException(
                $"Expected output to share no memory with {inputName}, but output's {outputExtent} elements from 0x{(nint)output:X} " +
                $"overlap {inputName}'s {inputExtent} elements from 0x{(nint)input:X}.",
                "output");
        }
    }

    private static nint Extent(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        nint last = 0;
        for (int dimension = 0; dimension < lengths.Length; dimension++)
        {
            if (lengths[dimension] == 0)
            {
                return 0;
            }

            last += (lengths[dimension] - 1) * strides[dimension];
        }

        return last + 1;
    }
}
