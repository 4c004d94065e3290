using System;
using System.Runtime.InteropServices;

namespace NativeAttention;

/// <summary>
/// A driver object that belongs to a context. Release pushes that context first because the finalizer thread,
/// or a thread that uses another library's context, has no (or another) current context.
/// </summary>
internal abstract unsafe class CudaContextHandle : SafeHandle
{
    protected CudaContextHandle(nint context, nint handle)
        : base(0, ownsHandle: true)
    {
        Context = context;
        SetHandle(handle);
    }

    /// <summary>Gets the context the object was created in.</summary>
    internal nint Context { get; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>Gets the raw handle, throwing <see cref="ObjectDisposedException"/> once released.</summary>
    internal nint Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    /// <summary>Gets the driver function that releases this kind of object.</summary>
    protected abstract delegate*<nint, int> Release { get; }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => CudaDevice.ReleaseInContext(Context, Release, handle);
}
