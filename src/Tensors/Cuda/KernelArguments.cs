using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeAttention;

/// <summary>
/// Kernel launch arguments held by value on the caller's stack: add them in the kernel's parameter order and pass
/// the struct to <see cref="CudaKernel.Launch"/>. No boxing, no heap allocation, no pinning handles.
/// </summary>
/// <example>
/// <code>
/// var args = new KernelArguments();
/// args.Add(output);       // DeviceBuffer&lt;float&gt; → its device pointer
/// args.Add(input);
/// args.Add(2.0f);
/// args.Add(n);
/// kernel.Launch(blocks, 256, 0, stream, args);
/// </code>
/// </example>
public ref struct KernelArguments
{
    /// <summary>The most arguments one launch can take.</summary>
    public const int MaxArguments = 32;

    /// <summary>The most bytes of argument values one launch can take (CUDA itself allows 4 KB; attention kernels pass far less).</summary>
    public const int MaxBytes = 512;

    private KernelArgumentStorage _storage;
    private KernelArgumentOffsets _offsets;
    private int _count;
    private int _usedBytes;

    /// <summary>Gets the number of arguments added.</summary>
    public readonly int Count => _count;

    /// <summary>Appends a value argument (a scalar, a device pointer or a plain struct), aligned to its natural size up to 8 bytes.</summary>
    /// <typeparam name="T">An unmanaged type with the layout the kernel parameter has.</typeparam>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxArguments"/> arguments or <see cref="MaxBytes"/> bytes.</exception>
    public void Add<T>(T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        ref byte destination = ref Reserve(size, Math.Min(8, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size)));
        Unsafe.WriteUnaligned(ref destination, value);
    }

    /// <summary>
    /// Appends a by-value struct argument given as its bytes, e.g. a parameter block assembled at run time. Unlike
    /// <see cref="Add{T}(T)"/> it is not generic, so a caller in another assembly needs no JIT-compiled instantiation.
    /// </summary>
    /// <param name="value">The argument's bytes, laid out as the kernel parameter is.</param>
    /// <param name="alignment">The parameter's alignment: 1, 2, 4 or 8.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alignment"/> is not 1, 2, 4 or 8.</exception>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxArguments"/> arguments or <see cref="MaxBytes"/> bytes.</exception>
    public void AddBytes(scoped ReadOnlySpan<byte> value, int alignment)
    {
        if (alignment is not (1 or 2 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, $"Expected an alignment of 1, 2, 4 or 8; actual {alignment}.");
        }

        value.CopyTo(MemoryMarshal.CreateSpan(ref Reserve(value.Length, alignment), value.Length));
    }

    [UnscopedRef]
    private ref byte Reserve(int size, int alignment)
    {
        int offset = (_usedBytes + alignment - 1) & ~(alignment - 1);
        if (_count == MaxArguments || offset + size > MaxBytes)
        {
            throw new InvalidOperationException(
                $"Expected at most {MaxArguments} kernel arguments in {MaxBytes} bytes; adding a {size}-byte argument as number {_count + 1} "
                + $"would need {offset + size} bytes.");
        }

        _offsets[_count++] = (ushort)offset;
        _usedBytes = offset + size;
        return ref Unsafe.Add(ref Unsafe.As<KernelArgumentStorage, byte>(ref _storage), offset);
    }

    /// <summary>Appends the device pointer of <paramref name="buffer"/>.</summary>
    /// <typeparam name="TElement">The element type.</typeparam>
    /// <param name="buffer">The device memory.</param>
    public void Add<TElement>(DeviceBuffer<TElement> buffer)
        where TElement : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Add(buffer.DevicePointer);
    }

    /// <summary>Appends the device pointer of element (0, …, 0) of <paramref name="tensor"/>.</summary>
    /// <typeparam name="TElement">The element type.</typeparam>
    /// <param name="tensor">The device tensor.</param>
    public void Add<TElement>(DeviceTensor<TElement> tensor)
        where TElement : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Add(tensor.DevicePointer);
    }

    /// <summary>Writes the address of each argument value into <paramref name="pointers"/> (room for <see cref="Count"/>).</summary>
    internal readonly unsafe void WriteAddresses(void** pointers)
    {
        fixed (byte* values = &Unsafe.As<KernelArgumentStorage, byte>(ref Unsafe.AsRef(in _storage)))
        {
            for (int i = 0; i < _count; i++)
            {
                pointers[i] = values + _offsets[i];
            }
        }
    }
}
