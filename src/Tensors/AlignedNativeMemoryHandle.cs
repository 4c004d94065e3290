using System;
using System.Runtime.InteropServices;

namespace NativeAttention;

/// <summary>
/// Owns one block from <see cref="NativeMemory.AlignedAlloc(nuint, nuint)"/> so that a block whose owner was never
/// disposed is still freed, by the runtime's critical finalizer, instead of leaking.
/// </summary>
internal sealed unsafe class AlignedNativeMemoryHandle : SafeHandle
{
    private readonly long _byteCount;

    private AlignedNativeMemoryHandle(void* pointer, long byteCount)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)pointer);
        _byteCount = byteCount;
        if (byteCount > 0)
        {
            // Tells the GC how much memory a collectable owner keeps alive, so leaked blocks get finalized promptly.
            GC.AddMemoryPressure(byteCount);
        }
    }

    /// <summary>Gets the start of the block.</summary>
    public void* Pointer => (void*)handle;

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Allocates <paramref name="byteCount"/> bytes aligned to <paramref name="alignment"/>, uninitialized.</summary>
    /// <param name="byteCount">The size of the block in bytes; zero gives a unique block that must not be read.</param>
    /// <param name="alignment">The alignment in bytes, a power of two.</param>
    /// <returns>The handle that owns the block.</returns>
    /// <exception cref="OutOfMemoryException">The allocation failed.</exception>
    public static AlignedNativeMemoryHandle Allocate(nuint byteCount, nuint alignment)
    {
        void* pointer = NativeMemory.AlignedAlloc(byteCount, alignment);
        return new AlignedNativeMemoryHandle(pointer, (long)byteCount);
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        if (_byteCount > 0)
        {
            GC.RemoveMemoryPressure(_byteCount);
        }

        return true;
    }
}
